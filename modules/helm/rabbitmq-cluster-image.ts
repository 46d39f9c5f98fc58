/**
 * The RabbitMQ image of the operator engine, apart from the release construct so the environment
 * schema can name it without loading cdktf and the provider classes.
 */

/**
 * RabbitMQ 4.3.5, the newest release of 4.3, the one series in community support on 2026-11-30
 * (4.1 ended 2026-01-30, 4.2 on 2026-07-31: endoflife-date/endoflife.date@a70eca33
 * products/rabbitmq.md#L29-L48). The image is the Docker official image the CloudPirates chart
 * 0.6.5 pins as the operator's default (charts/rabbitmq-cluster-operator/values.yaml#L45-L51 at
 * tag rabbitmq-cluster-operator-0.6.5, with digest sha256:669e8036…); set on the cluster so an
 * operator upgrade never changes the broker version by itself. The operator's preStop hook runs
 * `/bin/bash` (statefulset.go#L716-L727 at v2.22.3); the official Alpine variant installs bash for
 * its docker-entrypoint.sh (not re-read here at 4.3.5: the docker-library snapshot is not
 * available), and it is the image CloudPirates' chart runs with this operator by default. The
 * operator's own default is the Ubuntu variant (`rabbitmq:4.2.6-management`, cmd/main.go#L75).
 */
export const RABBITMQ_CLUSTER_IMAGE = {
  repository: "docker.io/library/rabbitmq",
  tag: "4.3.5-management-alpine",
} as const;

/**
 * The lowest RabbitMQ Strata runs: 4.3.5. 4.3 is the only series in community support (4.1 ended
 * 2026-01-30, 4.2 on 2026-07-31: endoflife.date products/rabbitmq.md#L29-L48 at a70eca33);
 * CVE-2026-44838 is fixed in 4.2.4 / 4.3.0, and GHSA-5cq3-v9jx-p3x3's 4.1 fix (4.1.11) is for
 * commercial customers only (rabbitmq/rabbitmq-server#17054). research-16 cves.md sets the floor
 * at 4.3.5, the newest 4.3 release (tag v4.3.5, 2026-08-13).
 */
export const RABBITMQ_VERSION_FLOOR = "4.3.5";
