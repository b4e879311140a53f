#!/usr/bin/python3
"""Prints a umockdev recording of a USB tree: a root hub, HUBS hubs below it and sticks below
each hub, DEVICES devices in all besides the root hub; every device starts unauthorized
(authorized=0, as under authorized_default=0). usage: tree.py DEVICES [HUBS]"""
import sys

HUB = "/devices/pci0000:00/0000:00:14.0/usb1"
ROOT = """P: /devices/pci0000:00/0000:00:14.0/usb1
N: bus/usb/001/001
E: DEVTYPE=usb_device
E: SUBSYSTEM=usb
A: authorized=1
A: authorized_default=1
A: interface_authorized_default=1
A: remove=0
H: descriptors=12010002090001406B1D020015060302010109021900010100E0000904000001090000000705810304000C
A: idProduct=0002
A: idVendor=1d6b
A: product=xHCI Host Controller
A: serial=0000:00:14.0

P: /devices/pci0000:00/0000:00:14.0
E: DRIVER=xhci_hcd
E: SUBSYSTEM=pci
"""
DEVICE = """P: %(path)s
E: DEVTYPE=usb_device
E: SUBSYSTEM=usb
A: authorized=0
A: remove=0
H: descriptors=%(desc)s
A: idProduct=%(pid)s
A: idVendor=%(vid)s
A: product=%(name)s
A: serial=%(serial)s
A: port/connect_type=hotplug
"""
HUB_DESC = "1201000209000140E305080660850001000109021900010100E0320904000001090000000705810301000C"
STICK_DESC = (
    "1201000200000040810767550001010203010902200001010080320904000002080650000705810200020007"
    "050202000200")


def main():
    devices = int(sys.argv[1])
    hubs = int(sys.argv[2]) if len(sys.argv) > 2 else 10
    out = [ROOT]
    per_hub = -(-(devices - hubs) // hubs)
    n = 0
    for h in range(1, hubs + 1):
        hub = "%s/1-%d" % (HUB, h)
        out.append(DEVICE % {"path": hub, "desc": HUB_DESC, "vid": "05e3", "pid": "0608",
                             "name": "USB2.0 Hub", "serial": "HUB%04d" % h})
        n += 1
        for p in range(1, per_hub + 1):
            if n >= devices:
                break
            out.append(DEVICE % {"path": "%s/1-%d.%d" % (hub, h, p), "desc": STICK_DESC,
                                 "vid": "0781", "pid": "5567", "name": "Cruzer Blade",
                                 "serial": "TREE%06d" % n})
            n += 1
    sys.stdout.write("\n".join(out))


if __name__ == "__main__":
    main()
