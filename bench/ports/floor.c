/*
 * The latency harness's floor (bench/ports/run.sh, section 1): reads uevents from the netlink
 * socket that umockdev emulates and, for every "add" of a usb_device, writes 1 to its authorized
 * attribute; nothing else (no sysfs reads, no policy, no record). latency.py timing this program
 * gives what the harness, umockdev and the scheduler cost by themselves.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/netlink.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static char message[16384];

int main(void) {
  int s = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_KOBJECT_UEVENT);
  struct sockaddr_nl group = {.nl_family = AF_NETLINK, .nl_groups = 1};
  if (s < 0 || bind(s, (struct sockaddr *)&group, sizeof group) != 0) {
    perror("netlink uevent socket");
    return 1;
  }
  printf("ready\n");
  fflush(stdout);
  for (;;) {
    struct sockaddr_nl from;
    struct iovec iov = {message, sizeof message - 1};
    struct msghdr m = {.msg_name = &from, .msg_namelen = sizeof from, .msg_iov = &iov, .msg_iovlen = 1};
    ssize_t n = recvmsg(s, &m, 0);
    if (n <= 0) {
      continue;
    }
    message[n] = 0;
    /* kernel or libudev framing: the properties are NUL-separated KEY=value strings either way */
    char *devpath = memmem(message, n, "DEVPATH=", 8);
    if (devpath == NULL || memmem(message, n, "ACTION=add", 11) == NULL ||
        memmem(message, n, "DEVTYPE=usb_device", 19) == NULL) {
      continue;
    }
    char path[4200];
    snprintf(path, sizeof path, "/sys%s/authorized", devpath + 8);
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd >= 0) {
      if (write(fd, "1", 1) != 1) {
        perror(path);
      }
      close(fd);
    }
  }
}
