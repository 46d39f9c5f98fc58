{{/* Labels of every object. */}}
{{- define "monitoring.labels" -}}
app.kubernetes.io/managed-by: {{ .Release.Service }}
app.kubernetes.io/instance: {{ .Release.Name }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- with .Values.labels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* Relabelings that add Strata's target labels to every sample of an endpoint. */}}
{{- define "monitoring.relabelings" -}}
{{- range $k, $v := . }}
- action: replace
  targetLabel: {{ $k }}
  replacement: {{ $v | toJson }}
{{- end }}
{{- end -}}
