/** What the metrics keep of one finished tool call. */
export type CallRecord = {
  tool: string;
  outcome: string;
  /** True when the call returned an error result to the client. */
  isError: boolean;
  /** The upstream HTTP status, when the API answered. */
  status?: number;
  durationMs: number;
};

/** Counters and latency histograms of the tool calls of one server, rendered in the Prometheus text format. */
export type Metrics = {
  recordCall(call: CallRecord): void;
  /** The exposition text served at `/metrics` (Prometheus text format 0.0.4). */
  render(): string;
};

/** Prometheus's content type for the text format. */
export const metricsContentType = 'text/plain; version=0.0.4; charset=utf-8';

/** Latency buckets in seconds: from a cached answer to a slow upstream at its timeout. */
const bucketBounds = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];

type ToolStats = {
  byOutcome: Map<string, number>;
  errors: number;
  buckets: number[];
  sumSeconds: number;
  count: number;
  byStatusClass: Map<string, number>;
};

/** A fresh set of metrics for a server named `server` at `version`. */
export function createMetrics(server: { name: string; version: string }): Metrics {
  const stats = new Map<string, ToolStats>();
  return {
    recordCall(call) {
      let tool = stats.get(call.tool);
      if (!tool) {
        tool = { byOutcome: new Map(), errors: 0, buckets: bucketBounds.map(() => 0), sumSeconds: 0, count: 0, byStatusClass: new Map() };
        stats.set(call.tool, tool);
      }
      tool.byOutcome.set(call.outcome, (tool.byOutcome.get(call.outcome) ?? 0) + 1);
      if (call.isError) tool.errors += 1;
      const seconds = call.durationMs / 1000;
      bucketBounds.forEach((bound, i) => {
        if (seconds <= bound) tool.buckets[i]! += 1;
      });
      tool.sumSeconds += seconds;
      tool.count += 1;
      if (call.status !== undefined) {
        const statusClass = `${Math.floor(call.status / 100)}xx`;
        tool.byStatusClass.set(statusClass, (tool.byStatusClass.get(statusClass) ?? 0) + 1);
      }
    },
    render() {
      const tools = [...stats.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
      const lines: string[] = [];
      const family = (name: string, type: 'counter' | 'gauge' | 'histogram', help: string) => lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
      family('mcp_server_info', 'gauge', 'The MCP server and its version.');
      lines.push(`mcp_server_info${labels({ server: server.name, version: server.version })} 1`);
      family('mcp_tool_calls_total', 'counter', 'Tool calls, by tool and outcome.');
      for (const tool of tools) {
        for (const [outcome, count] of sorted(stats.get(tool)!.byOutcome)) lines.push(`mcp_tool_calls_total${labels({ tool, outcome })} ${count}`);
      }
      family('mcp_tool_errors_total', 'counter', 'Tool calls that returned an error to the client, by tool.');
      for (const tool of tools) lines.push(`mcp_tool_errors_total${labels({ tool })} ${stats.get(tool)!.errors}`);
      family('mcp_tool_call_duration_seconds', 'histogram', 'Duration of tool calls, upstream request included, by tool.');
      for (const tool of tools) {
        const entry = stats.get(tool)!;
        bucketBounds.forEach((bound, i) => lines.push(`mcp_tool_call_duration_seconds_bucket${labels({ tool, le: String(bound) })} ${entry.buckets[i]}`));
        lines.push(`mcp_tool_call_duration_seconds_bucket${labels({ tool, le: '+Inf' })} ${entry.count}`);
        lines.push(`mcp_tool_call_duration_seconds_sum${labels({ tool })} ${entry.sumSeconds}`);
        lines.push(`mcp_tool_call_duration_seconds_count${labels({ tool })} ${entry.count}`);
      }
      family('mcp_upstream_responses_total', 'counter', 'Upstream HTTP responses, by tool and status class (2xx, 4xx, 5xx ...).');
      for (const tool of tools) {
        for (const [statusClass, count] of sorted(stats.get(tool)!.byStatusClass)) {
          lines.push(`mcp_upstream_responses_total${labels({ tool, status_class: statusClass })} ${count}`);
        }
      }
      return `${lines.join('\n')}\n`;
    },
  };
}

const registries = new WeakMap<object, Metrics>();

/** The metrics of a runtime (any object that lives as long as the server), created on first use. */
export function metricsOf(owner: object, server: { name: string; version: string }): Metrics {
  let metrics = registries.get(owner);
  if (!metrics) {
    metrics = createMetrics(server);
    registries.set(owner, metrics);
  }
  return metrics;
}

function sorted(counts: Map<string, number>): [string, number][] {
  return [...counts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** `{name="value",...}` with values escaped as the text format requires. */
function labels(values: Record<string, string>): string {
  const escape = (value: string) => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
  return `{${Object.entries(values)
    .map(([name, value]) => `${name}="${escape(value)}"`)
    .join(',')}}`;
}
