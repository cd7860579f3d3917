// One line of the doctor's report: what was checked, how it went, and for anything not passing what to fix.
export type Status = 'pass' | 'warn' | 'fail' | 'skip';

export interface Check {
  name: string;
  status: Status;
  detail: string;
  /** What to do, for anything that did not pass. */
  fix?: string;
}
