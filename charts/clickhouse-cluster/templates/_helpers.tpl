{{/* Labels on every object. */}}
{{- define "clickhouse-cluster.labels" -}}
app.kubernetes.io/instance: {{ include "clickhouse-cluster.name" . }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Labels of one component's pods (the anti-affinity selects on them). */}}
{{- define "clickhouse-cluster.podLabels" -}}
app.kubernetes.io/name: clickhouse
app.kubernetes.io/instance: {{ include "clickhouse-cluster.name" .root }}
app.kubernetes.io/component: {{ .component }}
{{- with .root.Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Pod Security "restricted": non-root as the image's clickhouse user, RuntimeDefault seccomp. */}}
{{- define "clickhouse-cluster.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.runAsUser }}
runAsGroup: {{ .Values.runAsUser }}
fsGroup: {{ .Values.runAsUser }}
fsGroupChangePolicy: OnRootMismatch
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{- define "clickhouse-cluster.containerSecurityContext" -}}
allowPrivilegeEscalation: false
capabilities:
  drop: [ALL]
runAsNonRoot: true
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Preferred anti-affinity by zone among one component's pods. */}}
{{- define "clickhouse-cluster.affinity" -}}
podAntiAffinity:
  preferredDuringSchedulingIgnoredDuringExecution:
    - weight: 100
      podAffinityTerm:
        topologyKey: topology.kubernetes.io/zone
        labelSelector:
          matchLabels:
            app.kubernetes.io/instance: {{ include "clickhouse-cluster.name" .root }}
            app.kubernetes.io/component: {{ .component }}
{{- end -}}

{{/* A volume claim template with the PVCs kept when the resource is deleted. */}}
{{- define "clickhouse-cluster.volumeClaim" -}}
- name: data
  # The operator's default is Delete (CRD field reclaimPolicy): Retain keeps the data.
  reclaimPolicy: Retain
  spec:
    accessModes: [ReadWriteOnce]
    {{- with .root.Values.storageClass }}
    storageClassName: {{ . }}
    {{- end }}
    resources:
      requests:
        storage: {{ .storage }}
{{- end -}}

{{/* The installations' name (their Services: clickhouse-<name>, keeper-<name>). */}}
{{- define "clickhouse-cluster.name" -}}
{{- .Values.name | default .Release.Name -}}
{{- end -}}
