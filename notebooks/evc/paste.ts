/**
 * "Any CPU you have": a text box for the `flags` lines of the reader's own hosts, and the model's findings for
 * them (evc.parsePastedHosts): each host's highest mode, the cluster's, what each host's VMs would lose, and a
 * sentence for every word it could not read. The text stays in this page: it is not put in the URL, stored or
 * sent anywhere.
 */
import * as evc from "../../src/evc/index.ts";
import { list, plural, shortBaseline } from "./cluster.ts";
import { h } from "./dom.ts";

/** A ready-made paste: two hosts written from the data's own flag lists, so the example needs no real server. */
function exampleText(): string {
  const line = (id: string) => {
    const cpu = evc.getCpu(id);
    return `model name\t: ${cpu.model}\nvendor_id\t: ${cpu.vendor === "intel" ? "GenuineIntel" : "AuthenticAMD"}\nflags\t\t: ${cpu.featureList.join(" ")}`;
  };
  return `${line("intel-xeon-e5-2680-v4")}\n\n${line("intel-xeon-gold-6230")}\n`;
}

export function pasteBox(doc: Document): HTMLElement & { value: string } {
  const root = h(doc, "div", { class: "evc-picker evc-paste" }) as HTMLElement & { value: string };
  root.value = "";
  const help = h(
    doc,
    "p",
    { class: "evc-card-note", id: "evc-paste-help" },
    'One host per line: the "flags" line of /proc/cpuinfo (or lscpu\'s "Flags:" line), or vSphere\'s CPUID names such as cpuid.SSE41. ' +
      "A model name or vendor_id line above a host's flags names it. The text stays in this page: it is not sent anywhere or put in the link.",
  );
  const box = h(doc, "textarea", { id: "evc-paste", rows: "6", spellcheck: "false", autocomplete: "off", "aria-describedby": "evc-paste-help" }) as HTMLTextAreaElement;
  const set = (text: string) => {
    box.value = text;
    root.value = text;
    root.dispatchEvent(new Event("input", { bubbles: true }));
  };
  box.addEventListener("input", () => {
    root.value = box.value;
    root.dispatchEvent(new Event("input", { bubbles: true }));
  });
  const example = h(doc, "button", { type: "button" }, "Fill in an example (two hosts)");
  example.addEventListener("click", () => set(exampleText()));
  const clear = h(doc, "button", { type: "button" }, "Clear");
  clear.addEventListener("click", () => set(""));
  root.append(h(doc, "label", { for: "evc-paste" }, "Flags of your hosts"), box, help, h(doc, "div", { class: "evc-picker-row" }, example, clear));
  return root;
}

function modeName(b: evc.Baseline): string {
  return `${b.vendor === "intel" ? "Intel" : "AMD"} ${shortBaseline(b)} (${b.kbLevel})`;
}

export function pasteFindings(result: evc.PasteFindings, doc: Document): HTMLElement {
  const box = h(doc, "div", { class: "evc-card evc-paste-result", role: "status" });
  if (result.hosts.length === 0) {
    box.append(h(doc, "p", {}, result.findings[0] ?? "Nothing pasted yet."));
    return box;
  }
  const cluster = result.cluster;
  box.append(
    h(
      doc,
      "p",
      { class: "evc-card-answer" },
      cluster === null
        ? "None of the pasted hosts could be judged; see below."
        : cluster.found
          ? `Together, these ${plural(result.hosts.filter((x) => x.host).length, "host")} can run EVC up to ${modeName(cluster.baseline)}.`
          : cluster.explanation,
    ),
  );
  const rows = result.hosts.map((x) => {
    const loss = result.losses.find((l) => l.number === x.number);
    const answer = x.highest === null ? "not judged" : x.highest.found ? `highest mode on its own: ${modeName(x.highest.baseline)}` : x.highest.explanation;
    const lose = !loss ? "" : loss.masked.length === 0 ? "; its VMs lose nothing under the cluster's mode" : `; its VMs would lose ${plural(loss.masked.length, "flag")} under the cluster's mode: ${list(loss.masked, 12)}`;
    const vendor = x.vendor === null ? "vendor unknown" : x.vendor === "intel" ? "Intel" : "AMD";
    return h(doc, "li", {}, h(doc, "strong", {}, x.label), ` (${vendor}, ${plural(x.compared.length, "compared flag")}): ${answer}${lose}.`);
  });
  box.append(h(doc, "ul", { class: "evc-card-cpus" }, ...rows));
  if (result.findings.length > 0) box.append(h(doc, "ul", { class: "evc-problems" }, ...result.findings.map((f) => h(doc, "li", {}, f))));
  return box;
}
