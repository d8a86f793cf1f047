/** The two prediction tasks; defined once, imported by the workflow, activities, CLI and config. */
export const TASK_NAMES = ['strategy', 'signal'] as const;
export type TaskName = (typeof TASK_NAMES)[number];
export const DEFAULT_TASKS: TaskName[] = [...TASK_NAMES];

export function isTaskName(v: string): v is TaskName {
  return (TASK_NAMES as readonly string[]).includes(v);
}
