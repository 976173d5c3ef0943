// The Monaco editor as the playground uses it. Only ever imported dynamically (EditorState.monaco()), so
// the first paint and runs that never open an editor pane load none of it. Built from Monaco's ESM parts
// rather than its full entry: the core API, the editor features, the JSON language service (policy
// schema validation and completion) and the few basic languages a package's files use (languages.ts);
// not the TypeScript/CSS/HTML language services and their workers.

import * as monaco from 'monaco-editor/editor/editor.api';
import 'monaco-editor/features/register.all';
import { jsonDefaults } from 'monaco-editor/languages/features/json/register';
import 'monaco-editor/languages/definitions/markdown/register';
import 'monaco-editor/languages/definitions/cpp/register';
import 'monaco-editor/languages/definitions/shell/register';
import 'monaco-editor/languages/definitions/ini/register';
import 'monaco-editor/languages/definitions/yaml/register';
import 'monaco-editor/languages/definitions/html/register';
import 'monaco-editor/languages/definitions/css/register';
import 'monaco-editor/languages/definitions/javascript/register';
import 'monaco-editor/languages/definitions/typescript/register';
import 'monaco-editor/languages/definitions/python/register';
import 'monaco-editor/languages/definitions/xml/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import JsonWorker from 'monaco-editor/language/json/json.worker?worker';
import { POLICY_SCHEMA_URI, policyJsonSchema } from '../../../policy/json-schema.ts';
import { ZIG_LANGUAGE_ID, zigConfiguration, zigLanguage } from './zig-language.ts';

// Monaco asks for a worker by label: the JSON language service gets its own, everything else (diffs,
// word ranges, links) the generic editor worker. Both are bundled by Vite (`?worker`), no CDN.
self.MonacoEnvironment = {
  getWorker: (_id: string, label: string) => (label === 'json' ? new JsonWorker() : new EditorWorker()),
};

monaco.languages.register({ id: ZIG_LANGUAGE_ID, extensions: ['.zig', '.zon'], aliases: ['Zig'] });
monaco.languages.setMonarchTokensProvider(ZIG_LANGUAGE_ID, zigLanguage);
monaco.languages.setLanguageConfiguration(ZIG_LANGUAGE_ID, zigConfiguration);

/** The model URI of the policy being edited: the JSON service validates exactly this model. */
export const POLICY_MODEL_URI = monaco.Uri.parse('inmemory://sandbuild/policy.json');

jsonDefaults.setDiagnosticsOptions({
  validate: true,
  allowComments: false,
  trailingCommas: 'error',
  enableSchemaRequest: false,
  schemaValidation: 'error',
  schemas: [{ uri: POLICY_SCHEMA_URI, fileMatch: [POLICY_MODEL_URI.toString()], schema: policyJsonSchema() }],
});

export { monaco };
export type Monaco = typeof monaco;
