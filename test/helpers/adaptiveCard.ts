/**
 * A structural check of Adaptive Cards against the 1.5 schema's rules that
 * Teams enforces: known element and action types, required properties, the
 * version, and nesting of ShowCard cards.
 */
const ELEMENTS: Record<string, string[]> = {
  TextBlock: ['text'],
  FactSet: ['facts'],
  Container: ['items'],
  ColumnSet: [],
  Column: [],
  Image: ['url'],
  ActionSet: ['actions'],
  'Input.Text': ['id'],
  'Input.ChoiceSet': ['id', 'choices'],
  'Input.Number': ['id'],
  'Input.Date': ['id'],
  'Input.Toggle': ['id', 'title'],
  RichTextBlock: ['inlines'],
};
const ACTIONS: Record<string, string[]> = {
  'Action.Submit': [],
  'Action.ShowCard': ['card'],
  'Action.OpenUrl': ['url'],
  'Action.ToggleVisibility': ['targetElements'],
  'Action.Execute': [],
};

export function validateCard(card: Record<string, unknown>, nested = false): string[] {
  const errors: string[] = [];
  if (card.type !== 'AdaptiveCard') errors.push('type must be AdaptiveCard');
  if (!nested && card.version !== '1.5') errors.push(`version must be 1.5, got ${String(card.version)}`);
  const walkEl = (el: Record<string, unknown>, path: string) => {
    const req = ELEMENTS[String(el.type)];
    if (!req) return errors.push(`${path}: unknown element type ${String(el.type)}`);
    for (const k of req) if (el[k] === undefined || el[k] === '') errors.push(`${path}: ${String(el.type)} needs ${k}`);
    if (el.type === 'TextBlock' && typeof el.text !== 'string') errors.push(`${path}: TextBlock text must be a string`);
    if (el.type === 'FactSet') for (const [i, f] of (el.facts as Record<string, unknown>[]).entries()) if (typeof f.title !== 'string' || typeof f.value !== 'string') errors.push(`${path}.facts[${i}] needs title and value strings`);
    if (el.type === 'Container') (el.items as Record<string, unknown>[]).forEach((x, i) => walkEl(x, `${path}.items[${i}]`));
    if (el.type === 'ActionSet') (el.actions as Record<string, unknown>[]).forEach((x, i) => walkAction(x, `${path}.actions[${i}]`));
    if (el.type === 'Input.ChoiceSet') for (const c of el.choices as Record<string, unknown>[]) if (typeof c.title !== 'string' || typeof c.value !== 'string') errors.push(`${path}: choices need title and value strings`);
    return undefined;
  };
  const walkAction = (a: Record<string, unknown>, path: string) => {
    const req = ACTIONS[String(a.type)];
    if (!req) return errors.push(`${path}: unknown action type ${String(a.type)}`);
    for (const k of req) if (a[k] === undefined) errors.push(`${path}: ${String(a.type)} needs ${k}`);
    if (typeof a.title !== 'string' || !a.title) errors.push(`${path}: action needs a title`);
    if (a.type === 'Action.ShowCard') errors.push(...validateCard(a.card as Record<string, unknown>, true).map((e) => `${path}.card: ${e}`));
    return undefined;
  };
  if (!Array.isArray(card.body)) errors.push('body must be an array');
  else (card.body as Record<string, unknown>[]).forEach((x, i) => walkEl(x, `body[${i}]`));
  if (card.actions !== undefined) (card.actions as Record<string, unknown>[]).forEach((x, i) => walkAction(x, `actions[${i}]`));
  return errors;
}
