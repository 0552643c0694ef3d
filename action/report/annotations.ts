/**
 * Annotations within what the runner shows per step (10 errors, 10 warnings): the first ones as they
 * are, and when there are more, one last annotation that counts the rest and says where they are.
 */
import * as core from "@actions/core";
import { GITHUB_LIMITS } from "./limits.js";

export interface Annotation {
  level: "error" | "warning";
  message: string;
  properties?: core.AnnotationProperties;
}

const LIMIT: Record<Annotation["level"], number> = {
  error: GITHUB_LIMITS.errorAnnotations,
  warning: GITHUB_LIMITS.warningAnnotations,
};

/** Which annotations to emit: per level at most its limit, the last one summarising the rest. Pure. */
function fitAnnotations(annotations: readonly Annotation[], where: string): Annotation[] {
  const fitted: Annotation[] = [];
  for (const level of ["error", "warning"] as const) {
    const all = annotations.filter((annotation) => annotation.level === level);
    if (all.length <= LIMIT[level]) {
      fitted.push(...all);
      continue;
    }
    const shown = all.slice(0, LIMIT[level] - 1);
    const rest = all.length - shown.length;
    fitted.push(...shown, {
      level,
      message: `${rest} more ${level}s are not shown as annotations (GitHub shows ${LIMIT[level]} per step): ${where}`,
      properties: { title: "runner-config" },
    });
  }
  return fitted;
}

export function emitAnnotations(annotations: readonly Annotation[], where: string): void {
  for (const annotation of fitAnnotations(annotations, where)) {
    if (annotation.level === "error") core.error(annotation.message, annotation.properties);
    else core.warning(annotation.message, annotation.properties);
  }
}
