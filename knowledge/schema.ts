/**
 * The knowledge schema: the single source of truth for what the plan content
 * looks like. Every TypeScript type for content is derived from these schemas
 * with z.infer, so the YAML files, the loader and the answering code cannot
 * drift apart.
 *
 * Conventions that matter for correctness:
 * - Every figure is a string exactly as the source document writes it
 *   ("78.1%", "40,873", "£1½ million", "Data available end of June"). Numbers
 *   are parsed from it at load time for comparisons, never written twice.
 * - Every fact carries a `source` (section and row / paragraph) inside the
 *   document its file describes, so an answer can always say where it came from.
 * - Ids are global across all files, lower-case with dashes, and prefixed by
 *   the document they come from, so cross-references are unambiguous.
 */
import { z } from 'zod';

const Text = z.string().trim().min(1, 'must not be empty');

export const IdSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'ids use lower-case letters, digits and dashes only');

export const AuthoritySchema = z.enum(['county', 'city', 'partnership']);
export type Authority = z.infer<typeof AuthoritySchema>;

/**
 * How an authority is named to users, from plans.yaml (`authorities`): never
 * written in code, so a partnership is never called "County" and a new
 * authority's names are data. Missing names default to the id, capitalised.
 */
export const AuthorityNamesSchema = z
  .object({
    id: AuthoritySchema,
    /** In full: "Nottinghamshire County Council". */
    name: Text,
    /** One word for choices and labels: "County". */
    label: Text,
    /** The place, to name one of two figures side by side: "Nottinghamshire County". */
    place: Text.optional(),
    /** How a question names it, for follow-ups the bot writes: "the county" ("… in the county"). */
    phrase: Text.optional(),
  })
  .strict();
export type AuthorityNames = z.infer<typeof AuthorityNamesSchema>;

export const DocumentKindSchema = z.enum([
  'evidence-of-achievement',
  'action-plan',
  'improvement-plan',
  'performance-report',
  'review-report',
]);

/** Where a fact sits inside its file's document. */
export const SourceSchema = z
  .object({
    /** Human-readable section, e.g. "Priority 1, key activity 2" or "Key indicators, outcome 1.4". */
    section: Text,
    /** Row, paragraph or line reference, e.g. "paragraph 16", "row 2a iii)", "line 104". */
    ref: Text.optional(),
  })
  .strict();
export type Source = z.infer<typeof SourceSchema>;

/** A single figure as written, with the period it is for. */
export const FigureSchema = z
  .object({
    value: Text,
    /** The period the figure is for, as the document states it ("2016/17", "Q4 2016/17", "January 2017"). */
    period: Text.optional(),
    /** latest / previous as the document labels them; other for any further dated figure. */
    role: z.enum(['latest', 'previous', 'baseline', 'other']).default('other'),
    /** Any qualifier the document attaches ("provisional", "cumulative", "compared to 72% same period in 2016"). */
    note: Text.optional(),
    /**
     * A note about the source itself, not the figure ("the year is cut off at the page edge"): shown as a plain
     * caution beside the figure, never as part of it.
     */
    caution: Text.optional(),
    source: SourceSchema,
  })
  .strict();
export type Figure = z.infer<typeof FigureSchema>;

/** A dated piece of narrative: progress, evidence of achievement, commentary, summary. */
export const NarrativeSchema = z
  .object({
    text: Text,
    /** The period the narrative reports on ("End of year 2017-18", "Q4 2016/17", "April-September 2016"). */
    period: Text.optional(),
    /** A label for what the narrative is ("Evidence of achievement", "Progress", "End of Year Update"). */
    kind: Text.optional(),
    source: SourceSchema,
  })
  .strict();
export type Narrative = z.infer<typeof NarrativeSchema>;

/** How often a plan's leads report progress, and when each update is due. */
export const ReportingCalendarSchema = z
  .object({
    /** Reporting periods: UK financial quarters (Q1 = April-June), calendar months, or financial years. */
    frequency: z.enum(['quarterly', 'monthly', 'annually']),
    /** Days after a period ends that its update is due. */
    dueDays: z.number().int().min(0).max(365),
    /**
     * The last day the plan runs (ISO date): periods that start after it are not reported on, so a plan that
     * has ended stops asking its leads for updates.
     */
    until: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}$/, 'use an ISO date, e.g. 2018-03-31')
      .refine((d) => !Number.isNaN(Date.parse(d + 'T00:00:00Z')), 'not a real date')
      .optional(),
  })
  .strict();
export type ReportingCalendar = z.infer<typeof ReportingCalendarSchema>;

export const PlanSchema = z
  .object({
    id: IdSchema,
    title: Text,
    /** A short label for choices and buttons, leading with what tells it apart ("CYPF 2016-18"); the title when absent. */
    label: Text.optional(),
    authority: AuthoritySchema,
    /**
     * childrens-plan: an authority's children and young people's plan, the one a request for that authority
     * means when it names no plan (the one running on the day, else the most recent). council-plan: a council's
     * corporate plan, used only when named.
     */
    kind: z.enum(['childrens-plan', 'council-plan']).default('childrens-plan'),
    /** The years it runs, as the plan states them ("2016-2018", "2016/17", "2018-21"): April of the first to March of the last. */
    period: Text,
    /**
     * Names staff use for the plan ("CYPP", "CYPF plan", "council plan"), matched loosely (typos, plurals).
     * The first one no other plan has is how the bot names the plan in suggestions ("… of the CYPF plan").
     * Two plans may share an alias ("CYPF plan" for one plan and the next): it then means the current one.
     */
    aliases: z.array(Text).default([]),
    /** The reporting cycle; a plan without one is not chased for updates. */
    reporting: ReportingCalendarSchema.optional(),
  })
  .strict();
export type Plan = z.infer<typeof PlanSchema>;

export const DocumentSchema = z
  .object({
    id: IdSchema,
    /** The file in ../shared/seeds this content was taken from. */
    file: Text,
    title: Text,
    /** A short name for citing it in a reply ("City CYPP 2016-2020 action plan"); the title when absent. */
    shortTitle: Text.optional(),
    /** Date of the document as it states it ("19 January 2017", "March 2018"). */
    date: Text,
    kind: DocumentKindSchema,
    authority: AuthoritySchema,
    /** The plan this document reports on (id from plans.yaml). */
    plan: IdSchema,
    /** What period the document reports on, if it says. */
    period: Text.optional(),
    /**
     * Names staff use for this document ("mid-year review", "Q4 performance report"), matched loosely. A question
     * that names it prefers its records; naming the document wins over naming its plan.
     */
    aliases: z.array(Text).default([]),
    /** Anything that could not be represented, and why (e.g. OCR damage). */
    notes: z.array(Text).default([]),
  })
  .strict();
export type SourceDocument = z.infer<typeof DocumentSchema>;

export const OutcomeSchema = z
  .object({
    /** The document's own code for the outcome ("1a", "1.1"), if any. */
    code: Text.optional(),
    text: Text,
  })
  .strict();

export const PrioritySchema = z
  .object({
    id: IdSchema,
    plan: IdSchema,
    number: z.number().int().positive(),
    /** As the document writes it. Optional because some documents number sections without naming them. */
    title: Text.optional(),
    outcomes: z.array(OutcomeSchema).default([]),
    /** "What will success look like?" */
    success: z.array(Text).default([]),
    /** Summaries or overview narratives for the whole priority. */
    summary: z.array(NarrativeSchema).default([]),
    source: SourceSchema,
  })
  .strict();
export type Priority = z.infer<typeof PrioritySchema>;

export const KeyActionSchema = z
  .object({
    text: Text,
    /** "Date actions required by", as written ("March 2017", "Oct 2016", "Ongoing"). */
    due: Text.optional(),
    source: SourceSchema,
  })
  .strict();
export type KeyAction = z.infer<typeof KeyActionSchema>;

export const ActivitySchema = z
  .object({
    id: IdSchema,
    priority: IdSchema,
    /** Number within the priority, or the outcome code for council-plan milestones ("1.4"). */
    number: z.union([z.number().int().positive(), Text]).optional(),
    kind: z.enum(['key-activity', 'milestone', 'action']).default('key-activity'),
    title: Text,
    aliases: z.array(Text).default([]),
    strategicPlan: Text.optional(),
    governanceGroup: Text.optional(),
    leadOrganisation: Text.optional(),
    partners: z.array(Text).default([]),
    leads: z.array(Text).default([]),
    actions: z.array(KeyActionSchema).default([]),
    /** Key performance measures as the document words them; `indicator` links one to an indicator record. */
    measures: z.array(z.object({ text: Text, indicator: IdSchema.optional() }).strict()).default([]),
    evidenceSources: z.array(Text).default([]),
    progress: z.array(NarrativeSchema).default([]),
    source: SourceSchema,
  })
  .strict();
export type Activity = z.infer<typeof ActivitySchema>;

export const PolaritySchema = z.enum(['high', 'low', 'none']);
export type Polarity = z.infer<typeof PolaritySchema>;

export const IndicatorSchema = z
  .object({
    id: IdSchema,
    priority: IdSchema,
    /** The document's reference for the row ("1.4", "2a iii)"). */
    ref: Text.optional(),
    title: Text,
    aliases: z.array(Text).default([]),
    /** "%", "days", "weeks", "number", "rate per 100k", "score", "£" … */
    unit: Text.optional(),
    /** "Good is" high or low; none when the document does not say. */
    polarity: PolaritySchema.default('none'),
    national: FigureSchema.optional(),
    target: FigureSchema.optional(),
    values: z.array(FigureSchema).default([]),
    leadOrganisation: Text.optional(),
    leads: z.array(Text).default([]),
    commentary: z.array(NarrativeSchema).default([]),
    /**
     * The indicator (in an earlier document or plan) whose measure this one carries on: same authority, same
     * thing measured. "Latest" is then the most recent figure of the whole series, and the older ones are its
     * history. Written by the author, never guessed.
     */
    continues: IdSchema.optional(),
    source: SourceSchema,
  })
  .strict();
export type Indicator = z.infer<typeof IndicatorSchema>;

/** Narrative that belongs to no activity or indicator: numbered report paragraphs, background. */
export const PassageSchema = z
  .object({
    id: IdSchema,
    priority: IdSchema.optional(),
    heading: Text.optional(),
    text: Text,
    period: Text.optional(),
    source: SourceSchema,
  })
  .strict();
export type Passage = z.infer<typeof PassageSchema>;

/** One file per source document. */
export const DocumentFileSchema = z
  .object({
    document: DocumentSchema,
    priorities: z.array(PrioritySchema).default([]),
    activities: z.array(ActivitySchema).default([]),
    indicators: z.array(IndicatorSchema).default([]),
    passages: z.array(PassageSchema).default([]),
  })
  .strict();
export type DocumentFile = z.infer<typeof DocumentFileSchema>;

/** plans.yaml (and any plans-<name>.yaml: a new plan can live in a file of its own). */
export const PlansFileSchema = z.object({ authorities: z.array(AuthorityNamesSchema).default([]), plans: z.array(PlanSchema).min(1) }).strict();

export const GlossaryTermSchema = z
  .object({
    /** The acronym or short form as staff type it ("CAMHS", "LAC"). */
    term: Text,
    /** What it stands for; more than one where it has several meanings (FTE). */
    meanings: z.array(Text).min(1),
    /** Other words staff use for the same thing ("children in care" for LAC). */
    synonyms: z.array(Text).default([]),
    /** Where a document defines or uses it: document id and section. */
    source: z.object({ document: IdSchema, section: Text }).strict().optional(),
  })
  .strict();
export type GlossaryTerm = z.infer<typeof GlossaryTermSchema>;

export const GlossaryFileSchema = z
  .object({
    terms: z.array(GlossaryTermSchema),
    /** Groups of everyday words that mean the same in questions ("kids", "children"). */
    synonyms: z.array(z.array(Text).min(2)).default([]),
    /**
     * Groups a measure can be narrowed to ("children in care", "disadvantaged pupils"), each with the other ways
     * it is written. A figure for a narrower group than the question names is a neighbour, not the answer.
     */
    populations: z.array(z.array(Text).min(1)).default([]),
  })
  .strict();
export type GlossaryFile = z.infer<typeof GlossaryFileSchema>;
