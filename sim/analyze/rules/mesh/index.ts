/** Istio mesh rules (FL0100–FL0199). */
import type { Rule } from '../../types.ts';

export const meshRules: readonly Rule[] = [];
