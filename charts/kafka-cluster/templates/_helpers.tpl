{{/* Labels on every object. */}}
{{- define "kafka-cluster.labels" -}}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Labels of the objects the entity operator and node pools attach to the cluster by. */}}
{{- define "kafka-cluster.member" -}}
{{ include "kafka-cluster.labels" . }}
strimzi.io/cluster: {{ .Values.name }}
{{- end -}}
