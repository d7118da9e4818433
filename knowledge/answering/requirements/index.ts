/**
 * The requirements an answer must meet, in the order they are checked. Each
 * applies to some kinds of question; the first that finds the plans lacking
 * decides the reply. A new kind of question adds a row here.
 */
import { namedAuthority } from './authority';
import { aDate } from './date';
import { aFigure } from './figure';
import { aJudgement } from './judgement';
import { nothingRuledOut } from './exclusions';
import { futureEvent } from './future';
import { namedIndicatorIsAFigure } from './namedIndicator';
import { namedPeriod } from './period';
import { aPosition } from './rank';
import { preferWholeGroup, theWholeGroup } from './population';
import { everyQualifier, preferQualified } from './qualifiers';
import type { Requirement } from './requirement';
import { aTarget } from './target';

export const REQUIREMENTS: readonly Requirement[] = [
  namedAuthority,
  nothingRuledOut,
  // Before the preferences: a question that turns out to ask for a figure is preferred to as one.
  namedIndicatorIsAFigure,
  preferQualified,
  preferWholeGroup,
  futureEvent,
  namedPeriod,
  aDate,
  aFigure,
  aTarget,
  aJudgement,
  aPosition,
  theWholeGroup,
  everyQualifier,
];
export type { Lack, Requirement, Verdict } from './requirement';
