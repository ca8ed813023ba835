import { createHash, randomBytes, randomUUID } from 'node:crypto';
import {
  CLIENT_CAPABILITIES_META_KEY,
  createRequestStateCodec,
  inputRequired,
  inputResponse,
  type CallToolResult,
  type ClientCapabilities,
  type InputRequiredResult,
  type McpServer,
  type ServerContext,
} from '@modelcontextprotocol/server';
import type { ToolDefinition } from './definition.js';

/**
 * Whether the client can show the user a form (elicitation), as far as the server can prove it: `unknown` on
 * stateless 2025-11-25 HTTP, where no handshake reaches the server instance that handles the call.
 */
export type ElicitationSupport = 'supported' | 'unsupported' | 'unknown';

/** What to do about a tool that needs the user's confirmation. */
export type ConfirmationCheck =
  | { proceed: true; confirmedBy: 'elicitation' | 'argument' }
  | { proceed: false; result: CallToolResult | InputRequiredResult; outcome: 'declined' | 'unconfirmed' | 'awaiting_confirmation' };

/**
 * Issues and redeems the signed state that ties a user's answer to the one call it was asked for: the tool, its
 * exact arguments and the caller. Each state is accepted once and expires after ten minutes.
 */
export type ConfirmationGuard = {
  issue(binding: ConfirmationBinding): Promise<string>;
  /** True once for a genuine, unexpired state issued for exactly this binding; false for anything else. */
  redeem(state: unknown, binding: ConfirmationBinding): Promise<boolean>;
};

/** What a confirmation is for. */
export type ConfirmationBinding = { tool: string; args: unknown; caller: string | undefined };

type Payload = { tool: string; digest: string; caller: string; nonce: string };

const responseKey = 'confirm';
const ttlSeconds = 600;
const maxRemembered = 10_000;
const newestLegacyRevision = '2025-11-25';

/**
 * Creates the guard. Its signing key is `sharedKey` when given (set the same on every replica, so that each accepts
 * the states the others issued), otherwise random to this process. It is never derived from the API credentials:
 * a signed state the client holds must not let anyone test guesses of them.
 */
export function createConfirmationGuard(sharedKey?: string): ConfirmationGuard {
  const key = sharedKey ? createHash('sha256').update(`toolwright confirmation\0${sharedKey}`).digest() : randomBytes(32);
  const codec = createRequestStateCodec<Payload>({ key: new Uint8Array(key), ttlSeconds });
  const redeemed = new Map<string, number>();
  return {
    issue: ({ tool, args, caller }) => codec.mint({ tool, digest: digestOf(args), caller: caller ?? '', nonce: randomUUID() }),
    async redeem(state, { tool, args, caller }) {
      if (typeof state !== 'string') return false;
      let payload: Payload;
      try {
        payload = await codec.verify(state, undefined as unknown as ServerContext);
      } catch {
        return false;
      }
      if (payload.tool !== tool || payload.digest !== digestOf(args) || payload.caller !== (caller ?? '')) return false;
      const now = Date.now();
      for (const [nonce, expires] of redeemed) if (expires < now || redeemed.size > maxRemembered) redeemed.delete(nonce);
      if (redeemed.has(payload.nonce)) return false;
      redeemed.set(payload.nonce, now + ttlSeconds * 1000);
      return true;
    },
  };
}

/**
 * Reads the client's elicitation support from what the protocol guarantees: on 2026-07-28 the capabilities
 * every request carries in its envelope; on a 2025-era connection only the `initialize` handshake (a per-request
 * `_meta` claim there is ignored); on stateless 2025-era HTTP nothing, so `unknown`.
 */
export function elicitationSupport(ctx: ServerContext, server: McpServer): ElicitationSupport {
  const revision = server.server.getNegotiatedProtocolVersion();
  if (revision === undefined) return 'unknown';
  const modern = revision > newestLegacyRevision;
  const envelope = ctx.mcpReq.envelope as { [key: string]: unknown } | undefined;
  const capabilities = (modern ? envelope?.[CLIENT_CAPABILITIES_META_KEY] : server.server.getClientCapabilities()) as ClientCapabilities | undefined;
  if (!capabilities) return 'unknown';
  const elicitation = capabilities.elicitation as { form?: unknown; url?: unknown } | undefined;
  if (!elicitation) return 'unsupported';
  return elicitation.form !== undefined || elicitation.url === undefined ? 'supported' : 'unsupported';
}

/**
 * Decides whether a tool that needs confirmation may run.
 * - The client can elicit: the user is asked, and only their answer to the question the server issued for
 *   these exact arguments counts (the model's `confirm` argument and answers the client sends unasked do not).
 * - The client declared that it cannot elicit: the call must carry `confirm: true`, which the tool's
 *   description tells the model to set only after the user agreed.
 * - The server cannot tell (stateless 2025-11-25 HTTP): refused, unless the operator allowed the
 *   `confirm` argument there (`allowArgumentWhenUnknown`).
 */
export async function checkConfirmation({
  tool,
  argument,
  args,
  ctx,
  support,
  summary,
  guard,
  caller,
  allowArgumentWhenUnknown,
}: {
  tool: ToolDefinition;
  /** The boolean argument that confirms when the client cannot elicit (`tool.confirmation.argument`). */
  argument: string;
  args: { [name: string]: unknown };
  ctx: ServerContext;
  support: ElicitationSupport;
  /** What the call would do, in words, e.g. `DELETE /pets/{petId} with {"petId":7}`. */
  summary: string;
  guard: ConfirmationGuard;
  caller: string | undefined;
  allowArgumentWhenUnknown: boolean;
}): Promise<ConfirmationCheck> {
  if (support === 'unknown' && !allowArgumentWhenUnknown) {
    const text =
      `${tool.name} changes or deletes data, so it needs the user's confirmation, and over this connection (protocol revision ` +
      `2025-11-25 over stateless HTTP) the server can neither ask the user nor tell whether they agreed. Nothing was sent. ` +
      `Tell the user that this action needs a client that speaks protocol revision 2026-07-28, or this server over stdio.`;
    return { proceed: false, result: { isError: true, content: [{ type: 'text', text }] }, outcome: 'unconfirmed' };
  }
  if (support !== 'supported') {
    if (args[argument] === true) return { proceed: true, confirmedBy: 'argument' };
    const text =
      `${tool.name} changes or deletes data, so it needs the user's explicit confirmation, and this client cannot ask for it. ` +
      `Nothing was sent. Describe the action to the user (${summary}) and ask them to confirm. Only if they agree, call ` +
      `${tool.name} again with the same arguments and "${argument}": true. Never set "${argument}" without asking.`;
    return { proceed: false, result: { isError: true, content: [{ type: 'text', text }] }, outcome: 'unconfirmed' };
  }
  const { [argument]: _confirm, ...bound } = args;
  const binding = { tool: tool.name, args: bound, caller };
  if (await guard.redeem(ctx.mcpReq.requestState(), binding)) {
    const response = inputResponse(ctx.mcpReq.inputResponses, responseKey);
    if (response.kind === 'elicit' && response.action === 'accept' && response.content?.[responseKey] === true) {
      return { proceed: true, confirmedBy: 'elicitation' };
    }
    const text = `The user did not confirm ${tool.name}; nothing was sent. Do not call it again unless the user asks for it.`;
    return { proceed: false, result: { isError: true, content: [{ type: 'text', text }] }, outcome: 'declined' };
  }
  const message = `${tool.title}: ${summary}. This changes or deletes data. Do you want to go ahead?`;
  const request = inputRequired.elicit({
    message,
    requestedSchema: {
      type: 'object',
      properties: { [responseKey]: { type: 'boolean', title: 'Go ahead', description: `Run ${tool.name} with the arguments shown.` } },
      required: [responseKey],
    },
  });
  const requestState = await guard.issue(binding);
  return { proceed: false, result: inputRequired({ inputRequests: { [responseKey]: request }, requestState }), outcome: 'awaiting_confirmation' };
}

/** A SHA-256 of a value's JSON with object keys sorted, so that the same arguments always give the same digest. */
function digestOf(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('base64url');
}

function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
