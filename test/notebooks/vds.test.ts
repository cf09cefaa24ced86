import { describe, expect, test } from "vitest";
import { renderStatic } from "../../notebooks/lib/static.ts";
import { parseParams } from "../../notebooks/lib/params.ts";
import { define, headline, notebook, params } from "../../notebooks/vds/cells.ts";
import { failureState } from "../../notebooks/vds/failures.ts";
import { vds } from "../../src/index.ts";

function textOf(html: string): string {
  return html.replace(/<[^>]+>/g, " ").replace(/&#39;|&apos;/g, "'").replace(/&amp;/g, "&").replace(/\s+/g, " ").trim();
}

/** The outcome each row of the page's table shows, first host's cell, in table order. */
function rowOutcomes(html: string): string[] {
  return [...html.matchAll(/<tr[^>]*>\s*<th scope="row">[\s\S]*?<\/th>\s*<td[^>]*data-outcome="([^"]+)"/g)].map((m) => m[1]);
}

const NO_FAILURES = { vcenterDown: false, dsLost: false, mgmtLost: false, reboot: false, haFail: false, vcenterOnVds: true };

describe("vDS notebook, cells run headless", () => {
  test("defaults: the source's setting (vCenter's VM on the switch), nothing broken, every operation works, all traffic flows", async () => {
    expect(params.vcenterOnVds.value).toBe(true);
    const cells = await renderStatic(notebook);
    expect(textOf(cells.get("headline")!.html)).toBe("With vCenter up, 11 of 11 operations work on esx01 and 11 of 11 operations work on esx02; traffic flows for 3 of 3 VMs.");
    const diagram = cells.get("diagramFigure")!;
    expect(textOf(diagram.html)).toContain("Traffic flows for vcenter, app01, web01.");
    expect(diagram.svg).toContain('role="group"');
    // Built without controls to flip (no script at build time): no buttons in the picture.
    expect(diagram.svg).not.toContain("data-vds-toggle");
    expect(textOf(cells.get("netDvs")!.html)).toContain("com.vmware.common.port.volatile.persist = /vmfs/volumes/shared-vmfs-01/.dvsData/50 1a 2b 3c 4d 5e 6f 70-81 92 a3 b4 c5 d6 e7 f8/10");
    expect(textOf(cells.get("recovery")!.html)).toContain("from its own /etc/vmware/dvsData.db");
  });

  test("with vCenter down the table shows the spec's E1 column, row by row (transcribed from the spec, not the code)", async () => {
    const cells = await renderStatic(notebook, { vcenterDown: true });
    // Rows in the page's order: traffic, vMotion, power on static, power on dynamic, connect static,
    // connect ephemeral, change config, add host, HA restart, restart vCenter VM, fix mgmt VLAN.
    expect(rowOutcomes(cells.get("outcomes")!.html)).toEqual(["ok", "no", "ok", "no", "no", "ok", "no", "no", "conditional", "conditional", "uncertain"]);
    expect(textOf(cells.get("outcomes")!.html)).toContain("Addition or reconfiguration of network adapters attached to non-ephemeral distributed virtual port groups is not supported");
    expect(textOf(cells.get("diagramFigure")!.html)).toContain("vCenter is down");
  });

  test("with esx01's management network lost, a configuration change is queued there and works on esx02", async () => {
    const cells = await renderStatic(notebook, { mgmtLost: true });
    const html = cells.get("outcomes")!.html;
    const row = html.match(/Change the switch configuration[\s\S]*?<\/tr>/)![0];
    expect(row).toMatch(/data-outcome="queued"[\s\S]*data-outcome="ok"/);
  });

  test("every cell of the page's table carries a source mark or the [?] flag, and each reason is one sentence", async () => {
    for (const values of [{}, { vcenterDown: true }, { reboot: true, dsLost: true }, { haFail: true, mgmtLost: true }]) {
      const cells = await renderStatic(notebook, values);
      const tds = [...cells.get("outcomes")!.html.matchAll(/<td[^>]*data-outcome="([^"]+)"[^>]*>([\s\S]*?)<\/td>/g)];
      expect(tds.length).toBeGreaterThanOrEqual(11);
      for (const [, outcome, inner] of tds) if (outcome !== "n/a") expect(inner).toMatch(/href="#source-|\[\?\]/);
    }
  });

  test("the headline counts come from the model's outcomes", () => {
    const state = failureState({ ...NO_FAILURES, vcenterDown: true });
    const answers = vds.outcomeTable(state);
    const works = answers.filter((row) => vds.works(row[0].outcome)).length;
    expect(headline(state, answers)).toContain(`${works} of 11 operations work on esx01`);
  });

  test("the first scenario step is drawn at build time with its focus outcome", async () => {
    const cells = await renderStatic(notebook);
    expect(textOf(cells.get("scenarioFigure")!.html)).toContain("step 1 of 7");
    expect(textOf(cells.get("scenarioSteps")!.html)).toContain("Existing VM traffic on esx01: ✓ works");
  });

  test("junk in the URL is ignored with a note; the Observable define form is exported", () => {
    const { values, notes } = parseParams(params, "vcenterDown=maybe&reboot=1&scenario=nope");
    expect(values.vcenterDown).toBe(false);
    expect(values.reboot).toBe(true);
    expect(values.scenario).toBe("vcenter-static-reboot");
    expect(notes).toHaveLength(2);
    expect(typeof define).toBe("function");
  });
});
