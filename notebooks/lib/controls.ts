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
 * (three hosts, two of them the same CPU). The value is that list: clicks drop what was unselected and append
 * what was newly selected, and setting the value keeps it as set.
 */
function keepOrderAndRepeats(control: HTMLElement & { value: unknown }, initial: readonly string[]): HTMLElement & { value: unknown } {
  const inner = Object.getOwnPropertyDescriptor(control, "value")!;
  let list = [...(initial ?? [])];
  control.addEventListener("input", () => {
    const selected = inner.get!.call(control) as string[];
    list = [...list.filter((v) => selected.includes(v)), ...selected.filter((v) => !list.includes(v))];
  });
  return Object.defineProperty(control, "value", {
    get: () => list,
    set: (v: readonly string[]) => {
      list = [...v];
      inner.set!.call(control, v);
    },
  });
}
