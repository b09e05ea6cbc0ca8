# SPDX-License-Identifier: GPL-2.0-only
#
# Driver of the series: obtain the pinned base (Config.mk), apply the
# series (patches/ plus the new files under xen/ tools/ docs/ automation/
# and xtf/), build, boot under QEMU, test.  Everything lands under build/.
# The steps act on TARGET (staging, the default, or 4.17): e.g.
# "make TARGET=4.17 test".

include Config.mk

S := scripts
# The set-up steps (deps base tree xen xtf-base xtf-tree xtf tools dom0),
# as setup.sh, which orders them, lists them.
SETUP_STEPS := $(shell $(S)/setup.sh --list)

.PHONY: all demo test $(SETUP_STEPS) check-series check-docs series clean distclean

# The main job: build the patched Xen and show the feature under QEMU.
all demo:
	$(S)/demo.sh

# Every test the project has; ends with "N passed, N failed".
test:
	$(S)/run-tests.sh

# Each set-up step, with those before it: "make dom0".
$(SETUP_STEPS):
	$(S)/setup.sh $@

# Every patch of the series builds on its own.
check-series:
	$(S)/setup.sh tree
	$(S)/series/check-series.sh

# The documents under docs/ render with the base's docs machinery.
check-docs:
	$(S)/setup.sh tree
	$(S)/harness/check-docs.sh

# The mails of the three series, signed by whoever runs this (git config
# user.name / user.email): build/outgoing/{staging,4.17,xtf}/.
series:
	TARGET=staging $(S)/setup.sh
	TARGET=4.17 $(S)/setup.sh
	TARGET=staging $(S)/series/format-series.sh
	TARGET=4.17 $(S)/series/format-series.sh
	$(S)/series/format-series.sh xtf

# Build products; downloads (build/dl) and the compiler cache are kept.
clean:
	rm -rf build/staging build/4.17 build/xtf build/kernel build/logs build/outgoing

distclean:
	rm -rf build
