import { describe, expect } from "vitest";
import { test, fc } from "@fast-check/vitest";
import { Window } from "happy-dom";
import { setSentence, unitRuns } from "../../notebooks/lib/text.ts";

const together = (text: string) => unitRuns(text).filter((r) => r.together).map((r) => r.text);

describe("numbers keep their units on the same line", () => {
  test("the pairs the pages write are kept together; counts of things and words that start like a unit are not", () => {
    expect(together("latency settles at 32.6 ms for a 30 ms threshold (42 ms with it off); total 1,126 IOPS")).toEqual(["32.6 ms", "30 ms", "42 ms", "1,126 IOPS"]);
    expect(together("56.3 % is done; 40 MB/s for 42.7 h, 500 GB a day, 16 MiB of 100 GiB, 49.5 µs")).toEqual(["56.3 %", "40 MB/s", "42.7 h", "500 GB", "16 MiB", "100 GiB", "49.5 µs"]);
    expect(together("8 hosts, 24 slots, 3 VMs, 5 minutes, 2 steps, 12 MBps")).toEqual([]);
  });

  test.prop([fc.string({ maxLength: 80 })])("the runs joined give the text back", (text) => {
    expect(unitRuns(text).map((r) => r.text).join("")).toBe(text);
  });

  test("setSentence writes text nodes and nowrap spans whose text is exactly the sentence, and leaves equal text alone", async () => {
    const window = new Window();
    try {
      const p = window.document.createElement("p") as unknown as HTMLElement;
      // As the build leaves it: the same sentence as plain text, which setSentence must still lay out.
      p.textContent = "Copying 40 GB takes 137 s <b>through</b> the host.";
      setSentence(p, "Copying 40 GB takes 137 s <b>through</b> the host.");
      expect(p.textContent).toBe("Copying 40 GB takes 137 s <b>through</b> the host.");
      expect([...p.querySelectorAll("span.nobr")].map((s) => s.textContent)).toEqual(["40 GB", "137 s"]);
      expect(p.querySelector("b")).toBeNull();
      const first = p.firstChild;
      setSentence(p, "Copying 40 GB takes 137 s <b>through</b> the host.");
      expect(p.firstChild).toBe(first);
      // A slider move changes a number: the same nodes, only the changed run's text rewritten.
      const nodes = [...p.childNodes];
      setSentence(p, "Copying 40 GB takes 52.5 s <b>through</b> the host.");
      expect(p.textContent).toBe("Copying 40 GB takes 52.5 s <b>through</b> the host.");
      expect(p.childNodes.length).toBe(nodes.length);
      nodes.forEach((node, k) => expect(p.childNodes[k]).toBe(node));
      expect([...p.querySelectorAll("span.nobr")].map((s) => s.textContent)).toEqual(["40 GB", "52.5 s"]);
      // Another shape of sentence (a pair more) is laid out anew.
      setSentence(p, "Copying 40 GB takes 52.5 s and 3 ms through the host.");
      expect(p.textContent).toBe("Copying 40 GB takes 52.5 s and 3 ms through the host.");
      expect([...p.querySelectorAll("span.nobr")].map((s) => s.textContent)).toEqual(["40 GB", "52.5 s", "3 ms"]);
    } finally {
      await window.happyDOM.close();
    }
  });
});
