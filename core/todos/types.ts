// The tasks people owe LeiGuard, as the to-do sync sees them (issue #21; docs/dingtalk-todo.md): a
// subject's derivation lists every task open now with the facts its to-do shows; the text is
// written by templates/todos.ts, the rows and their DingTalk mirror are kept by ./reconcile.ts and
// the todos.push job.

/** DingTalk's to-do priorities: 10 较低, 20 普通, 30 紧急, 40 非常紧急. */
export type TodoPriority = 10 | 20 | 30 | 40;

/** The facts a to-do shows, by kind of task. */
export type TodoFacts =
  | {
      kind: 'hazard.fix';
      unit: string;
      typeLabel: string;
      gradeLabel: string;
      description: string;
      deadline: Date;
      /** OVERDUE / ESCALATED: past its deadline. */
      overdue: boolean;
      /** The last submission was sent back, with this reason. */
      rejectedReason?: string;
    }
  | {
      kind: 'hazard.verify';
      unit: string;
      typeLabel: string;
      gradeLabel: string;
      submittedBy: string;
      submittedAt: Date;
      rectification: string;
    }
  | {
      kind: 'approval.step';
      title: string;
      definitionName: string;
      stepName: string;
      applicant: string;
      /** The approver was added as a signer (加签). */
      signer: boolean;
      /** The task came to the person through a delegation from this person (委托). */
      onBehalfOf?: string;
      fields: Array<{ label: string; value: string }>;
    }
  | {
      kind: 'approval.escalated';
      title: string;
      definitionName: string;
      stepName: string;
      approvers: string[];
      dueAt: Date | null;
    }
  | { kind: 'interview.confirm'; unit: string; scheduledAt: Date; place: string; reason: string }
  | { kind: 'interview.task'; unit: string; text: string; dueAt: Date }
  | { kind: 'interview.reschedule'; unit: string; reason: string; requested: string }
  | { kind: 'warning.ack'; unit: string; issuer: string; levelLabel: string; text: string; expiresAt: Date }
  | { kind: 'inspection.do'; unit: string; modeLabel: string; selfCheck: boolean }
  | {
      kind: 'test.due';
      unit: string;
      address: string;
      categoryLabel: string;
      halfYearCycle: boolean;
      lastTestDate: Date | null;
      dueDate: Date;
      /** The due day has passed. */
      overdue: boolean;
    };

/** The kinds of task (TodoItem.kind). */
export type TodoKind = TodoFacts['kind'];

/** One task open now, for one person. */
export interface DesiredTodo {
  /** The task, stable while it lasts (with personId, the row's key). */
  taskKey: string;
  personId: string;
  facts: TodoFacts;
  /** The legal or set deadline, when there is one. */
  dueAt: Date | null;
  priority: TodoPriority;
  /** Mini-app page that does the task. */
  path: string;
}

/** What a derivation reads besides the record: the time, and the settings that put tasks in time. */
export interface DeriveContext {
  now: Date;
  /** Days before a periodic test is due that its managers are reminded (TEST_DUE_REMIND_DAYS). */
  testDueRemindDays: number[];
}

/** The settings of the to-do sync that derivations read (from the configuration). */
export type TodoRules = Omit<DeriveContext, 'now'>;

/** What a subject owes now. */
export interface Derivation {
  open: DesiredTodo[];
  /**
   * How a to-do no longer open ends. Default: DELETED when its task is still open for others (it
   * moved to someone else) or the subject is gone, DONE otherwise.
   */
  ended?(row: { taskKey: string; personId: string }): 'DONE' | 'DELETED' | undefined;
}

/** A subject whose tasks are derived together (core/todos/subjects.ts lists the types). */
export interface TodoSubject {
  type: string;
  id: string;
  /**
   * One part of the subject whose tasks alone changed (a warning's unit that answered): only its
   * tasks are derived and compared (core/todos/subjects.ts PARTS). Absent: the whole subject.
   */
  part?: string;
}

/** What a to-do shows, written from its facts (templates/todos.ts). */
export interface TodoText {
  subject: string;
  description: string;
}

/** Writes a to-do's text from its facts. */
export type RenderTodo = (facts: TodoFacts) => TodoText;
