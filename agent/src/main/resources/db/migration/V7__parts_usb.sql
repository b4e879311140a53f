-- Key storage parts (issue 15): the USB device a part sits on (vendor, product and serial of its
-- block device's parent), read through the port monitor's inventory at registration. A table of
-- its own, not new key_parts columns: key_parts rows chained before this migration would then
-- differ from their chain entries by the added columns. A projection of the audit chain (ref
-- key_part_usb/PART), written once, with the part's registration.
CREATE TABLE key_part_usb (
  part_id TEXT PRIMARY KEY REFERENCES key_parts(id),
  vendor_id TEXT NOT NULL,
  product_id TEXT NOT NULL,
  manufacturer TEXT,
  product TEXT,
  serial TEXT,
  port TEXT NOT NULL
);
