/**
 * The replica counts a clustered data service can run with, checked the same way whichever
 * engine runs it (the deprecated Bitnami release or the operator's custom resources).
 */
import { checkMinimum } from "./kubernetes-values";

/** ClickHouse Keeper nodes at most: a Raft ensemble of 5 tolerates 2 failures. */
export const MAX_KEEPER_REPLICAS = 5;

/** ClickHouse: shards × replicas, and the Keeper ensemble replicated tables need. */
export function clickhouseTopology(
  path: string,
  p: { shards?: number; replicas?: number; keeperReplicas?: number },
): { shards: number; replicas: number; keeperReplicas: number } {
  const shards = p.shards ?? 1;
  const replicas = p.replicas ?? 1;
  const keeperReplicas = p.keeperReplicas ?? (replicas > 1 ? 3 : 0);
  checkMinimum(path, "shards", shards, 1, "a ClickHouse cluster has at least one shard");
  checkMinimum(path, "replicas", replicas, 1, "each shard needs a server");
  if (
    !Number.isInteger(keeperReplicas) ||
    keeperReplicas < 0 ||
    keeperReplicas > MAX_KEEPER_REPLICAS ||
    (keeperReplicas > 0 && keeperReplicas % 2 === 0)
  ) {
    throw new Error(
      `${path}: keeperReplicas (${keeperReplicas}) must be 0, 1, 3 or 5: Keeper (Raft) needs an odd majority; use 3`,
    );
  }
  if (replicas > 1 && keeperReplicas === 0) {
    throw new Error(
      `${path}: keeperReplicas is 0 with replicas ${replicas}: replicated tables need ClickHouse Keeper; set keeperReplicas to 3, or replicas to 1`,
    );
  }
  return { shards, replicas, keeperReplicas };
}

/** Kafka in KRaft mode: an odd controller quorum of at most 5, and broker-only nodes beside it. */
export function kraftTopology(
  path: string,
  p: { controllers?: number; brokers?: number },
): { controllers: number; brokers: number } {
  const controllers = p.controllers ?? 1;
  const brokers = p.brokers ?? 0;
  checkMinimum(path, "controllers", controllers, 1, "KRaft needs a controller quorum");
  if (controllers % 2 === 0 || controllers > 5) {
    throw new Error(
      `${path}: controllers (${controllers}) must be 1, 3 or 5: a KRaft quorum needs a majority`,
    );
  }
  checkMinimum(path, "brokers", brokers, 0, "brokers count broker-only nodes");
  return { controllers, brokers };
}

/** RabbitMQ: one node, or an odd cluster (quorum queues need a majority). */
export function rabbitmqReplicas(path: string, replicas = 1): number {
  checkMinimum(path, "replicas", replicas, 1, "RabbitMQ needs a node");
  if (replicas > 1 && replicas % 2 === 0) {
    throw new Error(
      `${path}: replicas (${replicas}): a RabbitMQ cluster of ${replicas} tolerates no more failures than one of ${replicas - 1} and can split evenly, so its quorum queues keep their majority no better; use 1 or an odd number >= 3`,
    );
  }
  return replicas;
}
