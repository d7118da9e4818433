import { join } from 'node:path';

/** The repository root (tests run from dist/test). */
export const ROOT = join(__dirname, '..', '..', '..');
export const CONTENT_DIR = join(ROOT, 'knowledge', 'content');
export const FIXTURES = join(ROOT, 'test', 'fixtures');
/** The seed documents live beside the repository, in ../shared/seeds. */
export const SEEDS_DIR = process.env.SEEDS_DIR ?? join(ROOT, '..', 'shared', 'seeds');
