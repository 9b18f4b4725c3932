import type { AuditEvent } from '../domain/audit-events.ts';
import { METRIC_NAMESPACE, METRIC_STAGE_DIMENSION, type MetricName } from '../domain/metrics.ts';
import type { EventFields } from '../domain/ports.ts';

type Fields = Record<string, string | number | boolean | undefined>;

/**
 * Structured JSON lines for CloudWatch, written straight to stdout/stderr rather than through
 * `console`: whatever the function's log format, each line reaches CloudWatch as it is, so the
 * embedded metrics (EMF) that the alarms watch are not wrapped and lost. Callers pass only chosen
 * fields: request ids, opaque member ids, outcomes. Nothing here ever receives a request body, a
 * NIR, a code or a token.
 */
function write(level: 'info' | 'warn' | 'error', message: string, fields: Fields | Record<string, unknown>): void {
  const line = `${JSON.stringify({ level, message, time: new Date().toISOString(), ...fields })}\n`;
  if (level === 'error') process.stderr.write(line);
  else process.stdout.write(line);
}

export const logger = {
  info: (message: string, fields: Fields = {}) => write('info', message, fields),
  warn: (message: string, fields: Fields = {}) => write('warn', message, fields),
  error: (message: string, fields: Fields = {}) => write('error', message, fields),
  /** A value for a metric alone (e.g. the age of the oldest pending letter). */
  metric: (message: string, name: MetricName, value: number, unit = 'None') =>
    write('info', message, embeddedMetric(name, value, unit)),
};

/**
 * The stage a metric belongs to, read once (the logger serves before and without the parsed
 * configuration): two stages in one account must not feed each other's alarms.
 */
const STAGE = process.env['STAGE_NAME'] || 'local';

/** CloudWatch embedded metric format: a `metric` field becomes a count in the project's namespace, per stage. */
export function embeddedMetric(name: MetricName, value = 1, unit = 'Count'): Record<string, unknown> {
  return {
    _aws: {
      Timestamp: Date.now(),
      CloudWatchMetrics: [
        { Namespace: METRIC_NAMESPACE, Dimensions: [[METRIC_STAGE_DIMENSION]], Metrics: [{ Name: name, Unit: unit }] },
      ],
    },
    [METRIC_STAGE_DIMENSION]: STAGE,
    [name]: value,
  };
}

/**
 * One log line for a security event, with its metric when it carries one. A lost mail or request
 * is an error for operators; the other metric events (lockouts, throttling) are warnings.
 */
export function logSecurityEvent(event: AuditEvent, fields: EventFields): void {
  const { metric } = fields;
  const level = metric === undefined ? 'info' : metric.endsWith('Lost') ? 'error' : 'warn';
  write(level, event, { event, ...fields, ...(metric ? embeddedMetric(metric) : {}) });
}
