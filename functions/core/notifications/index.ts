/*
 * Customer notifications and staff alerts: the template catalog, the built-in texts in Chinese and
 * English, the renderer and the check a shop's own template passes when it is saved (docs/notifications.md).
 */
export { TEMPLATE_CATALOG, type TemplateSpec, templateKind } from './catalog.ts';
export { formatDate, formatDateTime, formatMoney } from './format.ts';
export { pickLocale } from './pick-locale.ts';
export { type RenderInput, renderTemplate, TemplateError } from './render-template.ts';
export { isGsm7, MAX_SMS_SEGMENTS, smsSegments } from './sms.ts';
export { type ValidateOptions, validateOverride } from './validate-override.ts';
export type { TemplateChannel, VariableSpec, VariableType } from './variables.ts';
