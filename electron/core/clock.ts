/** Time, passed in so schedules and journals can be tested with a fake clock. */
export interface Clock {
  now(): Date;
}
export const systemClock: Clock = { now: () => new Date() };
