/**
 * The metrics alerts may watch, with their source (facts/alert-metrics.json). Modules look a
 * metric up here before they synthesize an alert on it, so a misspelt metric fails at synthesis
 * instead of creating an alert that never fires.
 */
import FACTS from "../../facts/alert-metrics.json";

/** A Cloud Monitoring metric type. */
export interface GcpMetricFact {
  readonly kind: string;
  readonly valueType: string;
  readonly unit: string;
  readonly resourceTypes: readonly string[];
  readonly resourceLabels: readonly string[];
  readonly aligner: string;
  readonly source: string;
}

/** A CloudWatch metric (`<namespace> <name>`). */
export interface AwsMetricFact {
  readonly namespace: string;
  readonly name: string;
  readonly dimensions: readonly string[];
  readonly statistic: string;
  /** DynamoDB operations a per-operation metric is summed over. */
  readonly operations?: readonly string[];
  readonly source: string;
}

/** A DigitalOcean monitor alert type. */
export interface DoMetricFact {
  readonly source: string;
}

/** Every metric by cloud. */
export const ALERT_METRICS = FACTS as unknown as {
  readonly gcp: Readonly<Record<string, GcpMetricFact>>;
  readonly aws: Readonly<Record<string, AwsMetricFact>>;
  readonly digitalocean: Readonly<Record<string, DoMetricFact>>;
};

/** The facts of a CloudWatch metric, or an error naming the file to record it in. */
export function awsMetric(namespace: string, name: string): AwsMetricFact {
  const fact = ALERT_METRICS.aws[`${namespace} ${name}`];
  if (!fact) {
    throw new Error(
      `CloudWatch metric ${namespace} ${name} is not in facts/alert-metrics.json; record it with its source first`,
    );
  }
  return fact;
}

/** Minutes a condition must hold before an alert fires, unless the environment says otherwise. */
export const DEFAULT_EVALUATION_MINUTES = 5;

/**
 * The evaluation window of a stack's alerts: `minutes`, or the default; whole minutes from 1 to 60
 * (Cloud Monitoring durations and CloudWatch periods both take whole minutes here).
 */
export function evaluationMinutes(path: string, minutes = DEFAULT_EVALUATION_MINUTES): number {
  if (!Number.isInteger(minutes) || minutes < 1 || minutes > 60) {
    throw new Error(`${path}: evaluationMinutes (${minutes}) must be a whole number from 1 to 60`);
  }
  return minutes;
}
