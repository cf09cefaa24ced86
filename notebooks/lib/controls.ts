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
      control = Inputs.select(param.options, {
        label,
        multiple: Math.min(12, param.options.length),
        value,
        format: (o) => o.label,
        valueof: (o) => o.value,
      });
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
