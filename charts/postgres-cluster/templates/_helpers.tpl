{{/* The barman-cloud plugin's name (plugin-barman-cloud web/docs/usage.md). */}}
{{- define "postgres-cluster.plugin" -}}barman-cloud.cloudnative-pg.io{{- end }}

{{/* Labels on every object. */}}
{{- define "postgres-cluster.labels" -}}
app.kubernetes.io/name: postgres-cluster
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/* An ObjectStore's configuration: where, and the credentials of its kind. */}}
{{- define "postgres-cluster.storeConfiguration" -}}
destinationPath: {{ .destinationPath | quote }}
{{- with .endpointURL }}
endpointURL: {{ . | quote }}
{{- end }}
{{- if eq .credentials.kind "gke-workload-identity" }}
googleCredentials:
  gkeEnvironment: true
{{- else if eq .credentials.kind "aws-irsa" }}
s3Credentials:
  inheritFromIAMRole: true
{{- else if eq .credentials.kind "secret" }}
s3Credentials:
  accessKeyId:
    name: {{ .credentials.secretName }}
    key: {{ .credentials.accessKeyIdKey }}
  secretAccessKey:
    name: {{ .credentials.secretName }}
    key: {{ .credentials.secretAccessKeyKey }}
{{- else }}
{{- fail (printf "unknown backup credentials kind %q" .credentials.kind) }}
{{- end }}
{{- end }}
