{{/* Labels on every object. */}}
{{- define "argocd-apps.labels" -}}
app.kubernetes.io/name: {{ .Chart.Name }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
helm.sh/chart: {{ printf "%s-%s" .Chart.Name .Chart.Version }}
{{- with .Values.commonLabels }}
{{ toYaml . }}
{{- end }}
{{- end -}}

{{/* "url=secret,url=secret": the repositories and the Secrets with their credentials. */}}
{{- define "argocd-apps.credentials" -}}
{{- $pairs := list -}}
{{- range . -}}
{{- $pairs = append $pairs (printf "%s=%s" .url .secretName) -}}
{{- end -}}
{{- join "," $pairs -}}
{{- end -}}
