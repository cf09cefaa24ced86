/**
 * The drop zone: a reader's own VM folder, read in the browser and nowhere else. Files come from a
 * drag and drop (single files or whole folders, through DataTransferItem.webkitGetAsEntry), from
 * the file and folder pickers, or from a paste box. Before any byte is read, the model's
 * readDecision says from the name and size whether a file is one of the small text files it reads
 * (.vmx, .vmsd, descriptor .vmdk, a listing); data files, binaries and oversized files are only
 * named, with the reason shown. A file that is read is first checked for NUL bytes in its first
 * KiB. No file content is ever sent anywhere: there is no network code in this file.
 * The element's `value` is the list of files ({name, text?, size}) or null when there are none;
 * it dispatches "input" whenever the list changes.
 */
import {
  embeddedDescriptorRegion,
  embeddedDescriptorBytes,
  isSparseHeader,
  readDecision,
  SPARSE_HEADER_BYTES,
  type DroppedFile,
} from "../../src/snapshots/index.ts";
import { h } from "./dom.ts";

/** More files than a VM folder ever has: a dropped datastore root stops here. */
export const MAX_FILES = 500;
/** Folders deeper than this are not walked (a VM folder is flat). */
const MAX_DEPTH = 4;
/** The first KiB is checked for NUL bytes before a file's text is read (spec section 8). */
const SNIFF_BYTES = 1024;
/** A paste longer than this is not a descriptor, .vmx, .vmsd or listing. */
export const MAX_PASTE_CHARS = 4 * 1024 * 1024;

export type DropZone = HTMLElement & { value: DroppedFile[] | null };

interface Entry {
  file: DroppedFile;
  /** Why the text was not read, or null when it was. */
  reason: string | null;
}

function sizeText(bytes: number): string {
  if (bytes >= 2 ** 30) return `${(bytes / 2 ** 30).toFixed(bytes >= 10 * 2 ** 30 ? 0 : 1)} GiB`;
  if (bytes >= 2 ** 20) return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${bytes} bytes`;
}

/**
 * A single-file sparse disk (monolithicSparse, streamOptimized): only its 512-byte header and the
 * descriptor region it points to are read, with File.slice, never the whole file. Null when `head`
 * is not a sparse header.
 */
async function readEmbedded(file: File, head: Uint8Array): Promise<Entry | null> {
  if (!isSparseHeader(head)) return null;
  const name = file.name;
  const region = embeddedDescriptorRegion(head.subarray(0, SPARSE_HEADER_BYTES));
  if (region.status === "ok" && region.offsetBytes + region.lengthBytes <= file.size) {
    const bytes = new Uint8Array(await file.slice(region.offsetBytes, region.offsetBytes + region.lengthBytes).arrayBuffer());
    return { file: { name, size: file.size, text: new TextDecoder().decode(embeddedDescriptorBytes(bytes)), embedded: true }, reason: null };
  }
  if (region.status === "too-large") {
    const why = `its embedded descriptor region (${sizeText(region.lengthBytes)}) is over the 64 KiB limit`;
    return { file: { name, size: file.size }, reason: `${name} is a single-file sparse disk, but ${why}: only its name and size are used.` };
  }
  // a header too short or naming no descriptor: the usual checks name it as a binary or oversized file
  return null;
}

/** Reads one file if the model would read it, after a NUL check of its first KiB; else names it. */
export async function readFile(file: File): Promise<Entry> {
  const name = file.name;
  const decision = readDecision(name, file.size);
  if (decision.kind === "descriptor") {
    // a .vmdk of any size may be a single-file sparse disk whose descriptor sits behind its header
    const embedded = await readEmbedded(file, new Uint8Array(await file.slice(0, SPARSE_HEADER_BYTES).arrayBuffer()));
    if (embedded) return embedded;
  }
  if (!decision.read) return { file: { name, size: file.size }, reason: decision.reason ?? `${name} is not read.` };
  const head = new Uint8Array(await file.slice(0, SNIFF_BYTES).arrayBuffer());
  if (head.includes(0)) {
    // Only the sniffed KiB is passed on, so that the model reports the binary file by name.
    return {
      file: { name, size: file.size, text: new TextDecoder().decode(head) },
      reason: `${name} is a binary file (NUL bytes in its first KiB): only its name and size are used.`,
    };
  }
  return { file: { name, size: file.size, text: await file.text() }, reason: null };
}

/** The base name of a path-like name ("vm/vm.vmdk" -> "vm.vmdk"). */
function base(name: string): string {
  const i = Math.max(name.lastIndexOf("/"), name.lastIndexOf("\\"));
  return i >= 0 ? name.slice(i + 1) : name;
}

/**
 * A file name for pasted text, from what the text is: a descriptor is named after its first extent's
 * data file (app01-000001-delta.vmdk -> app01-000001.vmdk), a .vmx after its displayName, a .vmsd
 * "pasted.vmsd", and anything else is taken as a listing.
 */
export function namePasted(text: string): string {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== "");
  const first = (lines[0] ?? "").replace(/^\uFEFF/, "");
  if (/^# *disk *descriptorfile/i.test(first)) {
    for (const line of lines) {
      const m = /^(?:RW|RDONLY|NOACCESS)\s+\d+\s+\w+\s+"([^"]+)"/i.exec(line);
      if (m) {
        const data = base(m[1]);
        const stem = data.replace(/(-flat|-delta|-sesparse|-rdmp?|-[sf]\d{3})?\.vmdk$/i, "");
        if (stem !== "" && stem !== data) return `${stem}.vmdk`;
      }
    }
    return "pasted.vmdk";
  }
  if (lines.some((l) => /^snapshot\d*\.[a-z]/i.test(l))) return "pasted.vmsd";
  if (lines.some((l) => /^((scsi|ide|sata|nvme)\d+:\d+\.filename|config\.version|virtualhw\.version)\s*=/i.test(l))) {
    const display = lines.map((l) => /^displayName\s*=\s*"([^"/\\]{1,80})"/i.exec(l)).find((m) => m);
    return `${display ? display[1] : "pasted"}.vmx`;
  }
  return "pasted listing.txt";
}

async function directoryEntries(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const out: FileSystemEntry[] = [];
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) return out;
    out.push(...batch);
    if (out.length > MAX_FILES) return out;
  }
}

async function walk(entry: FileSystemEntry, out: File[], depth: number): Promise<void> {
  if (out.length >= MAX_FILES) return;
  if (entry.isFile) {
    out.push(await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject)));
  } else if (entry.isDirectory && depth < MAX_DEPTH) {
    for (const child of await directoryEntries(entry as FileSystemDirectoryEntry)) await walk(child, out, depth + 1);
  }
}

/** The files of a drop: plain files as they are, folders walked. Items must be taken synchronously. */
function collectDrop(dt: DataTransfer): () => Promise<File[]> {
  const items: Array<{ entry: FileSystemEntry | null; file: File | null }> = [];
  for (const item of dt.items ?? []) {
    if (item.kind !== "file") continue;
    items.push({ entry: typeof item.webkitGetAsEntry === "function" ? item.webkitGetAsEntry() : null, file: item.getAsFile() });
  }
  const plain = items.length === 0 ? [...(dt.files ?? [])] : [];
  return async () => {
    const out: File[] = [...plain];
    for (const { entry, file } of items) {
      if (out.length >= MAX_FILES) break;
      if (entry && entry.isDirectory) await walk(entry, out, 0);
      else if (file) out.push(file);
    }
    return out.slice(0, MAX_FILES);
  };
}

export interface DropZoneOptions {
  /** Called after the list changed (e.g. to switch the sample selector to "my own files"). */
  onChange?: (files: DroppedFile[] | null) => void;
}

export function dropZone(doc: Document, options: DropZoneOptions = {}): DropZone {
  const root = h(doc, "section", { class: "snap-drop", "aria-labelledby": "snap-drop-title" }) as DropZone;
  root.value = null;
  let entries: Entry[] = [];
  let busy: Promise<void> = Promise.resolve();

  const status = h(doc, "p", { class: "snap-drop-status", role: "status" }, "No files yet.");
  const list = h(doc, "ul", { class: "snap-drop-files", "aria-label": "Your files" });
  const clear = h(doc, "button", { type: "button", class: "snap-clear" }, "Remove all my files") as HTMLButtonElement;
  clear.hidden = true;

  const publish = (message: string) => {
    list.replaceChildren(
      ...entries.map((e) => {
        const remove = h(doc, "button", { type: "button", "aria-label": `Remove ${e.file.name}` }, "Remove");
        remove.addEventListener("click", () => {
          entries = entries.filter((x) => x !== e);
          publish(`Removed ${e.file.name}.`);
          (list.querySelector("button") ?? clear).focus();
        });
        return h(
          doc,
          "li",
          { class: e.reason ? "snap-file snap-file-named" : "snap-file" },
          h(doc, "span", { class: "snap-file-name" }, e.file.name),
          ` · ${sizeText(e.file.size ?? 0)} · `,
          h(doc, "span", { class: "snap-file-state" }, e.reason ?? (e.file.embedded ? "its embedded descriptor read (header and descriptor only)" : "read")),
          " ",
          remove,
        );
      }),
    );
    clear.hidden = entries.length === 0;
    const named = entries.filter((e) => e.reason !== null).length;
    const counts = entries.length === 0 ? "No files yet." : `${entries.length} file${entries.length === 1 ? "" : "s"}: ${entries.length - named} read, ${named} named only (never read).`;
    status.textContent = message === "" ? counts : `${message} ${counts}`;
    root.value = entries.length === 0 ? null : entries.map((e) => e.file);
    root.dispatchEvent(new Event("input", { bubbles: true }));
    options.onChange?.(root.value);
  };

  // Files chosen or dropped replace the ones there (another VM's folder must not mix with this one's),
  // unless the reader asks to add them; a paste is one file at a time, so it always adds.
  const addToggle = h(doc, "input", { type: "checkbox", id: "snap-add-more" }) as HTMLInputElement;
  const add = (incoming: Entry[], what: string, keep: boolean) => {
    const names = new Set(incoming.map((e) => e.file.name));
    const kept = keep ? entries.filter((e) => !names.has(e.file.name)) : [];
    const replaced = entries.length;
    if (!keep && entries.length > 0) what = `${what} They replace the ${replaced} file${replaced === 1 ? "" : "s"} chosen before.`;
    entries = [...kept, ...incoming].sort((a, b) => (a.file.name < b.file.name ? -1 : a.file.name > b.file.name ? 1 : 0));
    const refused = incoming.filter((e) => e.reason !== null).map((e) => e.reason);
    publish(`${what}${refused.length > 0 ? ` ${refused.join(" ")}` : ""}`);
  };

  const addFiles = (getFiles: () => Promise<File[]>) => {
    busy = busy.then(async () => {
      status.textContent = "Reading your files in this browser…";
      try {
        const files = await getFiles();
        if (files.length === 0) return void (status.textContent = "Nothing to read in that drop: no files.");
        const read: Entry[] = [];
        for (const f of files) read.push(await readFile(f));
        const capped = files.length >= MAX_FILES ? ` Only the first ${MAX_FILES} files were looked at.` : "";
        add(read, `Added ${files.length} file${files.length === 1 ? "" : "s"}.${capped}`, addToggle.checked);
      } catch (error) {
        status.textContent = `Those files could not be read: ${error instanceof Error ? error.message : String(error)}`;
      }
    });
  };

  // Drag and drop: the whole section is the target.
  let depth = 0;
  root.addEventListener("dragenter", (event) => {
    event.preventDefault();
    depth++;
    root.classList.add("dragging");
  });
  root.addEventListener("dragover", (event) => {
    event.preventDefault();
    if (event.dataTransfer) event.dataTransfer.dropEffect = "copy";
  });
  root.addEventListener("dragleave", () => {
    depth = Math.max(0, depth - 1);
    if (depth === 0) root.classList.remove("dragging");
  });
  root.addEventListener("drop", (event) => {
    event.preventDefault();
    depth = 0;
    root.classList.remove("dragging");
    if (event.dataTransfer) addFiles(collectDrop(event.dataTransfer));
  });

  const picker = (id: string, label: string, folder: boolean) => {
    const input = h(doc, "input", { type: "file", id, multiple: "" }) as HTMLInputElement;
    if (folder) input.setAttribute("webkitdirectory", "");
    input.addEventListener("change", () => {
      const files = [...(input.files ?? [])];
      input.value = "";
      if (files.length > 0) addFiles(async () => files.slice(0, MAX_FILES));
    });
    return h(doc, "div", { class: "snap-drop-row" }, h(doc, "label", { for: id }, label), input);
  };

  const paste = h(doc, "textarea", { id: "snap-paste", rows: "5", spellcheck: "false", autocomplete: "off", "aria-describedby": "snap-paste-help" }) as HTMLTextAreaElement;
  const pasteName = h(doc, "input", { type: "text", id: "snap-paste-name", autocomplete: "off", spellcheck: "false", placeholder: "guessed from the text" }) as HTMLInputElement;
  const addPaste = h(doc, "button", { type: "button" }, "Add the pasted text") as HTMLButtonElement;
  addPaste.addEventListener("click", () => {
    const text = paste.value;
    if (text.trim() === "") return void (status.textContent = "The paste box is empty: paste a descriptor, a .vmx, a .vmsd or an ls -l listing first.");
    if (text.length > MAX_PASTE_CHARS) return void (status.textContent = "That paste is too long for a descriptor, .vmx, .vmsd or listing (over 4 MiB); it was not added.");
    const name = base(pasteName.value.trim()) || namePasted(text);
    const size = new TextEncoder().encode(text).length;
    const decision = readDecision(name, size);
    const entry: Entry = decision.read ? { file: { name, size, text }, reason: null } : { file: { name, size }, reason: decision.reason };
    paste.value = "";
    pasteName.value = "";
    add([entry], `Added the pasted text as ${name}.`, true);
  });
  clear.addEventListener("click", () => {
    entries = [];
    publish("Removed all your files.");
  });

  root.append(
    h(doc, "p", { id: "snap-drop-title", class: "snap-drop-title" }, "Your VM's files"),
    h(
      doc,
      "p",
      { class: "snap-drop-hint" },
      "Drop the VM's folder here, or its .vmx, .vmsd and descriptor .vmdk files, optionally with an ls -l listing (.txt) for the data files' sizes. Data files (-flat, -delta, -sesparse, -rdm) may come along: they are named, never read.",
    ),
    h(doc, "p", { class: "snap-private" }, "Nothing leaves your browser: the files are read on this page only, never uploaded, and no request is made with them."),
    h(
      doc,
      "div",
      { class: "snap-drop-row snap-drop-check" },
      addToggle,
      h(doc, "label", { for: "snap-add-more" }, "Add to these files (instead of replacing them with the next files chosen or dropped)"),
    ),
    picker("snap-files", "Choose files", false),
    picker("snap-folder", "Or choose a whole folder", true),
    h(doc, "label", { for: "snap-paste", class: "snap-paste-label" }, "Or paste one file's text: a descriptor, a .vmx, a .vmsd or an ls -l listing"),
    paste,
    h(doc, "p", { id: "snap-paste-help", class: "control-help" }, "The file name is guessed from the text (a descriptor from its data file's name); give one if the guess is wrong."),
    h(doc, "div", { class: "snap-drop-row" }, h(doc, "label", { for: "snap-paste-name" }, "File name (optional)"), pasteName, addPaste),
    status,
    list,
    clear,
  );
  return root;
}
