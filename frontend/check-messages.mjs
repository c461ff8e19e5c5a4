// Compiles and formats messages as Home Assistant's frontend does
// (intl-messageformat, see its localize()), for tests/test_translation_format.py.
// stdin: [{id, locale, message, values}]; values null = compile only.
// stdout: [{id, error, arguments}]: error null when the frontend shows the text.
import { IntlMessageFormat } from "intl-messageformat";

const TYPES_WITH_OPTIONS = new Set([5, 6]); // select, plural

function argumentNames(elements, names = new Set()) {
  for (const element of elements) {
    if (element.type >= 1 && element.type <= 6) names.add(element.value);
    if (TYPES_WITH_OPTIONS.has(element.type)) {
      for (const option of Object.values(element.options)) argumentNames(option.value, names);
    }
    if (element.type === 8) {
      names.add(`<${element.value}>`);
      argumentNames(element.children, names);
    }
  }
  return names;
}

let input = "";
for await (const chunk of process.stdin) input += chunk;
const results = JSON.parse(input).map(({ id, locale, message, values }) => {
  let format;
  try {
    format = new IntlMessageFormat(message, locale);
  } catch (error) {
    return { id, error: `Translation error: ${error.message}`, arguments: [] };
  }
  const names = [...argumentNames(format.getAst())];
  if (values === null) return { id, error: null, arguments: names };
  try {
    const shown = format.format(values);
    return { id, error: typeof shown === "string" ? null : "not plain text", arguments: names };
  } catch (error) {
    return { id, error: `Translation ${error}`, arguments: names };
  }
});
process.stdout.write(JSON.stringify(results));
