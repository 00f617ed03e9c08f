#include "check.h"

int check_failures;
