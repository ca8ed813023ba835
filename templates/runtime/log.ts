import { redactJson, type Redact } from './redact.js';

/** Writes one log line; the default writes to stderr, because stdout carries the MCP protocol. */
export type LogSink = (line: string) => void;

/** Logs one JSON line with a level, a message and optional fields; every line is redacted. */
export type Logger = (level: 'info' | 'warn' | 'error', message: string, fields?: { [name: string]: unknown }) => void;

/** Writes a line to stderr. */
export const stderrSink: LogSink = (line) => {
  process.stderr.write(`${line}\n`);
};

/** Creates the server's logger: JSON lines on stderr, with every configured secret redacted in each field and in the line. */
export function createLogger({ server, redact, sink = stderrSink }: { server: string; redact: Redact; sink?: LogSink }): Logger {
  return (level, message, fields = {}) => {
    sink(redact(JSON.stringify(redactJson({ time: new Date().toISOString(), level, server, message, ...fields }, redact))));
  };
}
