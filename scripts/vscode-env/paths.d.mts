// Types of paths.mjs (plain JS so the installer runs before any TypeScript tooling is installed).
export declare const CODE_SERVER_VERSION: string;
export declare const NODE_PACKAGE: string;
export declare const REPO_ROOT: string;
export declare const CHROMIUM_PATH: string;
export interface ToolPaths {
  root: string;
  stamp: string;
  nodeDir: string;
  node: string;
  codeServerDir: string;
  codeServerPackage: string;
  codeServerEntry: string;
}
export declare function toolPaths(root?: string): ToolPaths;
export declare function missingTools(paths?: ToolPaths): string[];
