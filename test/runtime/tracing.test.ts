import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { injectTraceContext, startTracing, traceToolCall, tracingRequested } from '../../templates/runtime/tracing.js';

const sdkInstalled = (() => {
  try {
    createRequire(import.meta.url).resolve('@opentelemetry/sdk-node');
    return true;
  } catch {
    return false;
  }
})();

describe('OpenTelemetry tracing', () => {
  it.each([
    [{}, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, true],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }, true],
    [{ OTEL_TRACES_EXPORTER: 'console' }, true],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' }, false],
  ])('is asked for by the standard variables: %j → %s', (env, requested) => {
    expect(tracingRequested(env)).toBe(requested);
  });

  it('stays off without the variables, and tool calls run as they are', async () => {
    const lines: string[] = [];
    expect(await startTracing({ serviceName: 'shop', version: '1', env: {}, log: (_level, message) => lines.push(message) })).toBeUndefined();
    expect(lines).toStrictEqual([]);
    expect(await traceToolCall('get_status', async (observe) => (observe({ tool: 'get_status', outcome: 'ok', isError: false, durationMs: 1 }), 42))).toBe(42);
    const headers: Record<string, string> = {};
    injectTraceContext(headers);
    expect(headers).toStrictEqual({});
  });

  it.skipIf(sdkInstalled)('says once that tracing is off when the variables are set but the optional SDK is not installed, and keeps working', async () => {
    const lines: { level: string; message: string }[] = [];
    const tracing = await startTracing({ serviceName: 'shop', version: '1', env: { OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:9' }, log: (level, message) => lines.push({ level, message }) });
    expect(tracing).toBeUndefined();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'warn' });
    expect(lines[0]!.message).toContain('tracing is off');
    expect(await traceToolCall('get_status', async () => 'done')).toBe('done');
  });
});
