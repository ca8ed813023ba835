import {
  CLIENT_CAPABILITIES_META_KEY,
  inputRequired,
  inputResponse,
  type CallToolResult,
  type ClientCapabilities,
  type InputRequiredResult,
  type McpServer,
  type ServerContext,
} from '@modelcontextprotocol/server';
import type { ToolDefinition } from './definition.js';

/** Whether the client can show the user a form (elicitation): `unknown` on stateless 2025-era HTTP, where no handshake tells. */
export type ElicitationSupport = 'supported' | 'unsupported' | 'unknown';

/** What to do about a tool that needs the user's confirmation. */
export type ConfirmationCheck =
  | { proceed: true; confirmedBy: 'elicitation' | 'argument' }
  | { proceed: false; result: CallToolResult | InputRequiredResult; outcome: 'declined' | 'unconfirmed' | 'awaiting_confirmation' };

const responseKey = 'confirm';

/** Reads the client's elicitation support from the request's envelope (2026-07-28) or the connection's handshake (2025-11-25). */
export function elicitationSupport(ctx: ServerContext, server: McpServer): ElicitationSupport {
  const envelope = ctx.mcpReq.envelope as { [key: string]: unknown } | undefined;
  const capabilities = (envelope?.[CLIENT_CAPABILITIES_META_KEY] ?? server.server.getClientCapabilities()) as ClientCapabilities | undefined;
  if (!capabilities) return 'unknown';
  const elicitation = capabilities.elicitation as { form?: unknown; url?: unknown } | undefined;
  if (!elicitation) return 'unsupported';
  return elicitation.form !== undefined || elicitation.url === undefined ? 'supported' : 'unsupported';
}

/**
 * Decides whether a tool that needs confirmation may run. With elicitation the user is asked (and the model's
 * own `confirm` argument counts for nothing); without it, or when support is unknown, the call must carry
 * `confirm: true`, which the tool's description tells the model to set only after the user agreed.
 */
export function checkConfirmation({
  tool,
  argument,
  args,
  ctx,
  support,
  summary,
}: {
  tool: ToolDefinition;
  /** The boolean argument that confirms when the client cannot elicit (`tool.confirmation.argument`). */
  argument: string;
  args: { [name: string]: unknown };
  ctx: ServerContext;
  support: ElicitationSupport;
  /** What the call would do, in words, e.g. `DELETE /pets/{petId} with {"petId":7}`. */
  summary: string;
}): ConfirmationCheck {
  if (support !== 'supported') {
    if (args[argument] === true) return { proceed: true, confirmedBy: 'argument' };
    const text =
      `${tool.name} changes or deletes data, so it needs the user's explicit confirmation, and this client cannot ask for it. ` +
      `Nothing was sent. Describe the action to the user (${summary}) and ask them to confirm. Only if they agree, call ` +
      `${tool.name} again with the same arguments and "${argument}": true. Never set "${argument}" without asking.`;
    return { proceed: false, result: { isError: true, content: [{ type: 'text', text }] }, outcome: 'unconfirmed' };
  }
  const response = inputResponse(ctx.mcpReq.inputResponses, responseKey);
  if (response.kind === 'elicit') {
    if (response.action === 'accept' && response.content?.[responseKey] === true) return { proceed: true, confirmedBy: 'elicitation' };
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
  return { proceed: false, result: inputRequired({ inputRequests: { [responseKey]: request } }), outcome: 'awaiting_confirmation' };
}
