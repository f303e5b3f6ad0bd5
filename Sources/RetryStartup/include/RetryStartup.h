#ifndef RETRY_STARTUP_H
#define RETRY_STARTUP_H

/// The smallest stack limit (`ulimit -s`, in bytes) `retry` runs with; below
/// it, the check that runs before `main` refuses to start with status 125.
extern const unsigned long retry_minimum_stack;

#endif
