/**
 * sim/scenario — scenario format v1 (docs/scenario-format.md): parsing and validation with
 * line-numbered errors, step-time templating, and the engine that plays a scenario's broken or fixed
 * variant on a fresh world and reports steps, expectations and causal chains.
 */
export { parseScenario, SCENARIO_API_VERSION, type Scenario, type Step, type Expectation, type ClusterSpec, type Variant, type Cause, type Fix, type ScenarioError } from './format.ts';
export { renderTemplate, hasTemplate } from './template.ts';
export { playScenario, type PlayOptions, type PlayObserver, type RunReport, type StepOutcome, type ExpectationOutcome } from './engine.ts';
export { GUIDE_CLAIMS, isGuideClaim, type GuideClaim } from './claims.ts';
