import type { Logger } from './log.js';
import type { CallRecord } from './metrics.js';

/** The parts of `@opentelemetry/api` this server uses. */
type OtelApi = {
  trace: { getTracer(name: string, version?: string): OtelTracer };
  context: { active(): unknown };
  propagation: { inject(context: unknown, carrier: Record<string, string>): void };
};
type OtelSpan = {
  setAttributes(attributes: Record<string, string | number | boolean>): void;
  setStatus(status: { code: number; message?: string }): void;
  recordException(error: unknown): void;
  end(): void;
};
type OtelTracer = {
  startActiveSpan<T>(name: string, options: { kind: number; attributes: Record<string, string> }, run: (span: OtelSpan) => T): T;
};

/** Tracing that was started; `shutdown` flushes the spans not yet exported. */
export type Tracing = { shutdown(): Promise<void> };

// Optional dependencies, named through variables so that the server builds and runs without them.
const sdkPackage = '@opentelemetry/sdk-node';
const apiPackage = '@opentelemetry/api';
const spanKindServer = 1;
const statusError = 2;

let otel: { api: OtelApi; tracer: OtelTracer } | undefined;

/** True when the standard OpenTelemetry variables ask for traces. */
export function tracingRequested(env: NodeJS.ProcessEnv): boolean {
  if (env.OTEL_SDK_DISABLED === 'true' || env.OTEL_TRACES_EXPORTER === 'none') return false;
  return Boolean(env.OTEL_EXPORTER_OTLP_ENDPOINT || env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || env.OTEL_TRACES_EXPORTER);
}

/**
 * Starts the official OpenTelemetry Node SDK when the standard `OTEL_*` variables ask for traces: exporter,
 * endpoint, headers, sampler and resource all come from those variables, as the SDK reads them. The SDK is an
 * optional dependency: without it the server runs untraced and says so once.
 */
export async function startTracing({ serviceName, version, env, log }: { serviceName: string; version: string; env: NodeJS.ProcessEnv; log: Logger }): Promise<Tracing | undefined> {
  if (!tracingRequested(env)) return undefined;
  let sdk: { start(): void; shutdown(): Promise<void> };
  try {
    const [{ NodeSDK }, api] = (await Promise.all([import(sdkPackage), import(apiPackage)])) as [{ NodeSDK: new (options: object) => typeof sdk }, OtelApi];
    sdk = new NodeSDK(env.OTEL_SERVICE_NAME ? {} : { serviceName });
    sdk.start();
    otel = { api, tracer: api.trace.getTracer(serviceName, version) };
  } catch (error) {
    log('warn', `OTEL_* variables ask for traces, but the OpenTelemetry SDK could not start, so tracing is off: ${error instanceof Error ? error.message : String(error)}`, {
      hint: `install the optional dependencies (npm install), or unset the OTEL_* variables`,
    });
    return undefined;
  }
  log('info', 'tracing with OpenTelemetry', { endpoint: env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT ?? env.OTEL_EXPORTER_OTLP_ENDPOINT ?? '(exporter default)' });
  return {
    async shutdown() {
      otel = undefined;
      await sdk.shutdown().catch((error: Error) => log('warn', `tracing did not flush: ${error.message}`));
    },
  };
}

/** Runs one tool call inside a span when tracing is on; `observe` puts the call's outcome on the span. */
export async function traceToolCall<T>(tool: string, run: (observe: (call: CallRecord) => void) => Promise<T>): Promise<T> {
  if (!otel) return run(() => {});
  const attributes = { 'mcp.method.name': 'tools/call', 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': tool };
  return otel.tracer.startActiveSpan(`tools/call ${tool}`, { kind: spanKindServer, attributes }, async (span) => {
    try {
      return await run((call) => {
        span.setAttributes({ 'mcp.tool.outcome': call.outcome, ...(call.status === undefined ? {} : { 'http.response.status_code': call.status }) });
        if (call.isError) span.setStatus({ code: statusError, message: call.outcome });
      });
    } catch (error) {
      span.recordException(error);
      span.setStatus({ code: statusError });
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Adds the W3C trace context of the current span to upstream request headers, so the API's traces join the call's. */
export function injectTraceContext(headers: Record<string, string>): void {
  if (otel) otel.api.propagation.inject(otel.api.context.active(), headers);
}
