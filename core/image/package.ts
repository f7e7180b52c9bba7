/** A package found in an image, named the way OSV names it, so it can be matched directly. */
export interface ImagePackage {
  /**
   * OSV ecosystem, with the distribution release for OS packages: `Debian:12`, `Alpine:v3.20`, `npm`;
   * `generic` for inventory no OSV ecosystem covers (a Node.js executable), never matched.
   */
  ecosystem: string;
  name: string;
  version: string;
  /** The name advisories use when it differs (Debian: the source package). */
  advisoryName?: string;
  /** The version advisories use when it differs (Debian: the source version, e.g. without a binNMU +b1). */
  advisoryVersion?: string;
  /** Package URL (purl spec), for the SBOM. */
  purl: string;
  /** Where in the image it was found. */
  path: string;
  /** The name it is installed under when that differs (an npm alias: `node_modules/string-width-cjs`). */
  alias?: string;
  /**
   * The image's own application (its root manifest), not a dependency: listed in the SBOM as an
   * application component, never matched against advisories (its name is the team's, not a registry's).
   */
  role?: 'application';
  /** Names it declares as dependencies, resolved into the SBOM's dependency graph (dependency-graph.ts). */
  requires?: string[];
}

/** What the walker gives an analyzer: one file of the final filesystem, read on demand. */
export interface ImageFile {
  path: string;
  size: number;
  read(): Promise<Buffer>;
}

/** The distribution, from /etc/os-release: OS package ecosystems need it to pick the right advisories. */
export interface OsRelease {
  id: string;
  versionId?: string;
  versionCodename?: string;
  prettyName?: string;
}

export interface AnalyzerContext {
  os?: OsRelease;
}

/**
 * One package ecosystem or file format (STYLE.md: trivy's analyzers): `wants` decides from the path
 * alone whether the walker should buffer the file; `analyze` turns its bytes into packages.
 */
export interface Analyzer {
  name: string;
  /**
   * True for lockfiles and pinned requirement lists: they declare packages rather than show them
   * installed, so a package an installed-package analyzer also finds is reported once, as installed.
   */
  declared?: boolean;
  /**
   * Raises the walk's per-file cap for the files this analyzer wants (a Node.js executable is 100+ MiB);
   * such an analyzer should `reduce` them, so only one is held at a time.
   */
  maxFileBytes?: number;
  /** `mode` is the tar entry's permission bits, when known. */
  wants(path: string, size: number, mode?: number): boolean;
  /**
   * Shrinks a wanted file as soon as it is read (e.g. an executable to its build info), so the walker
   * keeps little per file; undefined drops the file. Without it the whole content is kept.
   */
  reduce?(content: Buffer): Buffer | undefined;
  analyze(
    file: { path: string; content: Buffer },
    context: AnalyzerContext,
  ): ImagePackage[] | Promise<ImagePackage[]>;
}
