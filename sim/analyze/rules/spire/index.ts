/** SPIRE, spire-controller-manager, ZTWIM and federation rules (FL0001–FL0099). */
import type { Rule } from '../../types.ts';

export const spireRules: readonly Rule[] = [];
