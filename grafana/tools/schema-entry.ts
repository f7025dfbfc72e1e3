// Entry point from which check-dashboards.mjs derives a JSON Schema of a Grafana
// dashboard: the Dashboard type that Grafana publishes in @grafana/schema.
import type { Dashboard } from '@grafana/schema';

export type GrafanaDashboard = Dashboard;
