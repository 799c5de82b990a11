// {{fieldKey}} templates in a spec's OAuth URLs (Salesforce {{loginHost}}, Dynamics {{orgUrl}}).
// A missing value is an error, not an empty string: "/services/oauth2/token" alone would be a
// relative URL that ky resolves against nothing useful.

export function expandTemplate(template: string, values: Record<string, unknown>): string {
  return template.replace(/\{\{\s*([\w.-]+)\s*\}\}/g, (_, key: string) => {
    const v = values[key];
    if (typeof v !== 'string' || !v.trim()) throw new Error(`missing value for {{${key}}}`);
    return v.trim().replace(/\/+$/, '');
  });
}
