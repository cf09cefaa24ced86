/**
 * The sources of the vDS model, numbered as in the model spec (shared/models/vds.md) and keyed by
 * the ids the notebook's front matter lists, so every outcome can cite where it comes from.
 */
export const SOURCES = {
  "vds-architecture": "vSphere 5.5 Networking, vSphere Distributed Switch Architecture",
  "sdk-proxy-switch": "vSphere Web Services SDK Programming Guide, Using a Distributed Virtual Switch",
  kb324492: "Broadcom KB 324492, Types of port binding on a Distributed Switch",
  "api-portgroup-type": "vSphere API 4.0 reference, DistributedVirtualPortgroup.PortgroupType",
  "strydom-2011": "VMware vSphere Blog (H. Strydom), vDS config location and HA (2011)",
  "hill-2010": "D. Hill, What is the purpose of .DvsData (2010)",
  "webster-2012": "M. Webster, The Achilles Heel of the VMware Distributed Switch (2012)",
  "vstellar-2017": "vStellar, Distributed Switch Port Group Bindings (2017)",
  "odgers-2014": "J. Odgers, Example Architectural Decision: Port Binding Setting for a dvPortGroup (2014)",
  "wahl-2015": "C. Wahl, Protecting a Distributed Switch with Ephemeral Binding (2015)",
  "networking-65": "vSphere 6.5 Networking, distributed port group settings",
  "rollback-67": "vSphere 6.7 Networking, vSphere Distributed Switch Rollbacks",
  "laverick-vmwiki": "M. Laverick, vmWIKI, Configuring Distributed Switches in vCenter 6",
  "vvd-43": "VMware Validated Design 4.3, distributed switch caveats",
  "qa-2013": "QA.com (B. O'Connor), What is the purpose of the .dvsdata folder? (2013)",
  "autodeploy-65": "vSphere 6.5 Auto Deploy, host boot with a vDS",
} as const;

export type SourceId = keyof typeof SOURCES;
export const SOURCE_IDS = Object.keys(SOURCES) as SourceId[];
