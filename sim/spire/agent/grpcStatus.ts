/**
 * gRPC statuses as the agent's endpoints return them (`google.golang.org/grpc/status`): a code and
 * a description. The lab's error code is `spire/<code in kebab case>`, the message is the bare
 * description, and `rpcErrorString` gives what a Go client prints (`rpc error: code = … desc = …`).
 */
import { simError, type SimError } from '../../core/result.ts';

export const GRPC_CODES = {
  'invalid-argument': 'InvalidArgument',
  'permission-denied': 'PermissionDenied',
  unavailable: 'Unavailable',
  internal: 'Internal',
  'not-found': 'NotFound',
  unimplemented: 'Unimplemented',
} as const;

export type AgentGrpcCode = keyof typeof GRPC_CODES;
export type AgentError = SimError<`spire/${AgentGrpcCode}`>;

export function grpcError(code: AgentGrpcCode, desc: string, detail?: Record<string, unknown>): AgentError {
  return simError(`spire/${code}`, desc, { grpcCode: GRPC_CODES[code], ...detail });
}

/** `rpc error: code = InvalidArgument desc = …` — how `status.Error(...).Error()` reads in Go. */
export function rpcErrorString(e: SimError): string {
  const grpc = typeof e.detail?.grpcCode === 'string' ? e.detail.grpcCode : 'Unknown';
  return `rpc error: code = ${grpc} desc = ${e.message}`;
}
