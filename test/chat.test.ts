/** `npm run chat`: the terminal client renders cards as text and presses numbered buttons. */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from './helpers/paths';
import { renderActivity, renderButtons } from '../scripts/chat';

describe('terminal chat', () => {
  it('renders facts as aligned rows and buttons as numbered choices', () => {
    const buttons: { title: string }[] = [];
    const lines = renderActivity(
      {
        text: 'Answer.',
        attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', body: [{ type: 'FactSet', facts: [{ title: 'Latest', value: '280' }, { title: 'Target', value: '250' }] }], actions: [{ type: 'Action.Submit', title: 'Confirm', data: { x: 1 } }] } }],
        suggestedActions: { actions: [{ title: 'Who leads this?', value: 'Who leads this?' }] },
      },
      buttons as never,
    );
    expect(lines).to.deep.equal(['Answer.', 'Latest                 280', 'Target                 250']);
    expect(renderButtons(buttons as never)).to.deep.equal(['  1. Confirm', '  2. Who leads this?']);
  });

  it('offers an Action.Execute button as a numbered choice that sends its data, as an Action.Submit does', () => {
    const buttons: { title: string; value?: unknown }[] = [];
    const data = { action: 'reviewUpdate', id: 'u1', decision: 'approved' };
    renderActivity({ attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', body: [], actions: [{ type: 'Action.Execute', title: 'Approve', verb: 'reviewUpdate', data }] } }] }, buttons as never);
    expect(renderButtons(buttons as never)).to.deep.equal(['  1. Approve']);
    expect(buttons[0].value).to.deep.equal(data);
  });

  it('holds a conversation over piped input, pressing a suggested follow-up by its number', function () {
    this.timeout(60_000);
    const dataDir = mkdtempSync(join(tmpdir(), 'plan-chat-'));
    try {
      const r = spawnSync(process.execPath, [join(ROOT, 'dist', 'scripts', 'chat.js')], {
        input: 'no. of tailored interventions to protect vulnerable residents\n1\nexit\n',
        env: { PATH: process.env.PATH, DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
        encoding: 'utf8',
        timeout: 50_000,
      });
      expect(r.status, r.stderr).to.equal(0);
      // The figure on its own line (large on the card), its period below, the comparison as aligned rows.
      expect(r.stdout).to.match(/^280\nQ4 2016\/17$/m);
      expect(r.stdout).to.match(/Previous {15}206/);
      expect(r.stdout).to.match(/ {2}1\. Show the trend/);
      expect(r.stdout).to.include('Figures in the plan: 280 (Q4 2016/17); 206');
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
