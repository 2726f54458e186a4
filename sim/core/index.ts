/**
 * sim/core — the kernel every model shares: one virtual clock with an ordered timer queue, the
 * typed event log, Result and error values with stable codes, seeded randomness, Go durations.
 *
 * Leaves out: anything domain-specific. Nothing here imports another sim/ folder.
 * References: xstate `SimulatedClock` (packages/core), SPIRE `test/clock/clock.go` (whole-second
 * certificate times), Go `time.ParseDuration`.
 */
export { VirtualClock, realClock, toWholeSeconds, ClockLimitError, type Clock, type AdvanceReport } from './clock.ts';
export { TimerQueue, type Timer } from './scheduler.ts';
export { EventLog, type SimEvent, type EventListener } from './events.ts';
export { ok, err, simError, unwrap, mapErr, type Result, type Ok, type Err, type SimError, type ErrorCode } from './result.ts';
export { Rng, ALNUM } from './rng.ts';
export { parseDuration, formatDuration, SECOND, MINUTE, HOUR } from './duration.ts';
export { formatChain, formatRef, type CausalChain, type CausalStage, type ObjectRef } from './causal.ts';
export { normalize, partialMismatches, NORMALIZER_NAMES, type NormalizerName } from './match.ts';
export { TaskTracker, advanceSettled } from './tasks.ts';
