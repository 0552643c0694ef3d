/** Workflow templates bundled as text (scripts/build.mjs: the `.yml` loader). */
declare module "*.yml" {
  const text: string;
  export default text;
}
