/*
 * Reads Gherkin feature files into scenarios ready to run: @cucumber/gherkin parses them and
 * compiles them to pickles (backgrounds, rules and scenario outlines already expanded), so the
 * runner only sees a flat list of steps with their doc strings.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { AstBuilder, GherkinClassicTokenMatcher, Parser, compile } from '@cucumber/gherkin';
import { IdGenerator } from '@cucumber/messages';

export interface ScenarioStep {
  /** The step text without its keyword, e.g. `the workflow is executed`. */
  readonly text: string;
  /** The step's doc string (the `"""` block), if it has one. */
  readonly docString?: string;
}

export interface Scenario {
  /** The file name, e.g. `call.feature`. */
  readonly file: string;
  readonly name: string;
  /** Tag names without `@`, e.g. `unsupported`. */
  readonly tags: readonly string[];
  readonly steps: readonly ScenarioStep[];
}

/** Every scenario of one feature file's text. */
export function parseFeature(file: string, text: string): Scenario[] {
  const newId = IdGenerator.incrementing();
  const parser = new Parser(new AstBuilder(newId), new GherkinClassicTokenMatcher());
  const document = parser.parse(text);
  return compile(document, file, newId).map((pickle) => ({
    file,
    name: pickle.name,
    tags: pickle.tags.map((t) => t.name.replace(/^@/, '')),
    steps: pickle.steps.map((step) => ({
      text: step.text,
      ...(step.argument?.docString ? { docString: step.argument.docString.content } : {}),
    })),
  }));
}

/** Every scenario of every `*.feature` file in `dir`, files in name order. */
export function loadFeatures(dir: string): Scenario[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.feature'))
    .sort()
    .flatMap((f) => parseFeature(basename(f), readFileSync(join(dir, f), 'utf8')));
}
