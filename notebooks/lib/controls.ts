/** Builds the @observablehq/inputs element for a declared param (browser only: Inputs needs a DOM). */
import * as Inputs from "@observablehq/inputs";
import { labelWithUnit, type Param } from "./params.ts";

export function createControl(key: string, param: Param, value: unknown): HTMLElement & { value: unknown } {
  const label = labelWithUnit(param);
  let control: HTMLElement & { value: unknown };
  switch (param.kind) {
    case "number":
      control = Inputs.range([param.min, param.max], { label, step: param.step, value: value as number });
      break;
    case "select":
      control = Inputs.select(param.options, {
        label,
        value,
        format: (o) => o.label,
        valueof: (o) => o.value,
      });
      break;
    case "toggle":
      control = Inputs.toggle({ label, value: value as boolean });
      break;
    case "multi":
      control = keepOrderAndRepeats(
        Inputs.select(param.options, {
          label,
          multiple: Math.min(12, param.options.length),
          value,
          format: (o) => o.label,
          valueof: (o) => o.value,
        }),
        param.options,
        value as readonly string[],
      );
      break;
  }
  control.dataset.param = key;
  // Inputs.range pairs a number box with a slider but labels only the box: name the slider too.
  for (const input of control.querySelectorAll<HTMLInputElement>("input[type=range]")) input.setAttribute("aria-label", label);
  if (param.help) {
    const help = document.createElement("p");
    help.className = "control-help";
    help.id = `help-${key}`;
    help.textContent = param.help;
    control.append(help);
    for (const input of control.querySelectorAll("input, select")) input.setAttribute("aria-describedby", help.id);
  }
  return control;
}

/**
 * A listbox shows each option once, in its own order; a list param keeps the order and repeats it was given
 * (three hosts, two of them the same CPU). So the control's value is that list: clicks drop what was
 * unselected and append what was newly selected, and setting the value keeps it as set. Inputs.select builds
 * the markup; its form's `value` cannot be redefined, so the markup moves into a form of our own.
 */
function keepOrderAndRepeats(
  built: HTMLElement,
  options: ReadonlyArray<{ value: string }>,
  initial: readonly string[],
): HTMLElement & { value: unknown } {
  const form = document.createElement("form");
  for (const name of built.getAttributeNames()) form.setAttribute(name, built.getAttribute(name)!);
  form.append(...built.childNodes);
  const select = form.querySelector("select")!;
  // Inputs numbers its options by their index in `options`.
  const selected = () => [...select.selectedOptions].map((o) => options[Number(o.value)]?.value).filter((v): v is string => v !== undefined);
  let list = [...(initial ?? [])];
  form.addEventListener("input", () => {
    const now = selected();
    list = [...list.filter((v) => now.includes(v)), ...now.filter((v) => !list.includes(v))];
  });
  form.addEventListener("submit", (event) => event.preventDefault());
  const control = form as unknown as HTMLElement & { value: unknown };
  Object.defineProperty(control, "value", {
    get: () => list,
    set: (v: readonly string[]) => {
      list = [...v];
      const wanted = new Set(v);
      for (const option of select.options) option.selected = wanted.has(options[Number(option.value)]?.value ?? "");
    },
  });
  return control;
}
