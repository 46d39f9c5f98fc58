import { StorageClassV1 } from "@cdktf/provider-kubernetes/lib/storage-class-v1";
import { Construct } from "constructs";
import type { KubernetesLabels } from "./kubernetes-values";

/** Props of {@link Gp3StorageClass}. */
export interface Gp3StorageClassProps {
  /** @default "gp3" */
  readonly name?: string;
  /** What happens to a volume when its claim is deleted. @default "Retain" */
  readonly reclaimPolicy?: "Retain" | "Delete";
  /** @default {} */
  readonly labels?: KubernetesLabels;
}

/**
 * An encrypted gp3 StorageClass on the EBS CSI driver. EKS ships only `gp2` (in-tree) as a class;
 * the cluster needs the `aws-ebs-csi-driver` add-on for this provisioner.
 * @see https://docs.aws.amazon.com/eks/latest/userguide/ebs-csi.html
 */
export class Gp3StorageClass extends Construct {
  readonly storageClass: StorageClassV1;
  readonly name: string;

  constructor(scope: Construct, id: string, props: Gp3StorageClassProps = {}) {
    super(scope, id);
    this.name = props.name ?? "gp3";
    this.storageClass = new StorageClassV1(this, "StorageClass", {
      metadata: { name: this.name, labels: { ...props.labels } },
      storageProvisioner: "ebs.csi.aws.com",
      reclaimPolicy: props.reclaimPolicy ?? "Retain",
      // Bind where the pod lands, so the volume is created in the pod's zone.
      volumeBindingMode: "WaitForFirstConsumer",
      allowVolumeExpansion: true,
      parameters: { type: "gp3", encrypted: "true", "csi.storage.k8s.io/fstype": "ext4" },
    });
  }
}
