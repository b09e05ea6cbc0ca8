# SPDX-License-Identifier: GPL-2.0-only
#
# Driver of the series: obtain the pinned base (Config.mk), apply the
# series (patches/ plus the new files under xen/ tools/ docs/ automation/),
# build, boot under QEMU, test.  Everything lands under build/.

include Config.mk

S := scripts

.PHONY: all demo test deps base tree xen tools dom0 check-series check-docs series clean distclean

# The main job: build the patched Xen and show the feature under QEMU.
all demo:
	$(S)/demo.sh

# Every test the project has; ends with "N passed, N failed".
test:
	$(S)/run-tests.sh

deps:
	$(S)/deps.sh

base: deps
	$(S)/fetch-base.sh

tree: base
	$(S)/mk-tree.sh

xen: tree
	$(S)/build-xen.sh

tools: tree
	$(S)/build-tools.sh

dom0: xen tools
	$(S)/mk-dom0.sh

# Every patch of the series builds on its own.
check-series: tree
	$(S)/check-series.sh

# The documents under docs/ render with the base's docs machinery.
check-docs: tree
	$(S)/check-docs.sh

# git format-patch output with a cover letter, in build/outgoing/.
series: tree
	$(S)/format-series.sh

# Build products; downloads (build/dl) are kept.
clean:
	rm -rf build/xen build/bisect build/bisect-ok build/dom0 build/dist build/overlay build/logs build/outgoing build/tree.stamp

distclean:
	rm -rf build
