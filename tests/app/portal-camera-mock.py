'''portal-camera-mock.py — python3-dbusmock template: a fake xdg-desktop-portal that serves
only org.freedesktop.portal.Camera (version 1) on the session bus, for the portal test.

Copyright 2026 The Vitalscan authors, GPL-3.0-or-later.

Parameters (-p JSON):
  present   IsCameraPresent (default true)
  response  what the user answers AccessCamera: 0 allowed, 1 dismissed, 2 refused (default 0)

AccessCamera answers as the real portal does: it returns a Request object path built from the
caller's unique name and its handle_token, then emits Response on that object once the call
has returned, addressed to the caller. OpenPipeWireRemote returns one end of a socket pair
whose other end this process keeps open, so the app's pipewiresrc can be checked to hold this
process's remote (SO_PEERCRED). CallCounts (on the mock interface) says how often each method
was called.
'''
import socket

import dbus
from gi.repository import GLib

from dbusmock import MOCK_IFACE, mockobject

BUS_NAME = 'org.freedesktop.portal.Desktop'
MAIN_OBJ = '/org/freedesktop/portal/desktop'
MAIN_IFACE = 'org.freedesktop.portal.Camera'
SYSTEM_BUS = False

REQUEST_IFACE = 'org.freedesktop.portal.Request'


def load(mock, parameters):
    mock.camera_response = int(parameters.get('response', 0))
    mock.camera_calls = {'AccessCamera': 0, 'OpenPipeWireRemote': 0}
    mock.camera_remotes = []
    mock.AddProperties(MAIN_IFACE, dbus.Dictionary({
        'IsCameraPresent': dbus.Boolean(parameters.get('present', True)),
        'version': dbus.UInt32(1),
    }, signature='sv'))


@dbus.service.method(MAIN_IFACE, in_signature='a{sv}', out_signature='o',
                     sender_keyword='sender')
def AccessCamera(self, options, sender):
    self.camera_calls['AccessCamera'] += 1
    token = str(options.get('handle_token', 't%d' % self.camera_calls['AccessCamera']))
    path = '%s/request/%s/%s' % (MAIN_OBJ, sender[1:].replace('.', '_'), token)
    self.AddObject(path, REQUEST_IFACE, {}, [('Close', '', '', '')])
    request = mockobject.objects[path]
    response = dbus.UInt32(self.camera_response)

    def answer():
        # To the caller alone, as the real portal sends it: libportal adds no match rule.
        request.EmitSignalDetailed(REQUEST_IFACE, 'Response', 'ua{sv}',
                                   [response, dbus.Dictionary({}, signature='sv')],
                                   {'destination': sender})
        return False

    # After the method's reply, as the real portal answers once the user has.
    GLib.idle_add(answer)
    return dbus.ObjectPath(path)


@dbus.service.method(MAIN_IFACE, in_signature='a{sv}', out_signature='h')
def OpenPipeWireRemote(self, options):
    self.camera_calls['OpenPipeWireRemote'] += 1
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    self.camera_remotes.append(ours)
    fd = dbus.types.UnixFd(theirs)   # duplicates the descriptor
    theirs.close()
    return fd


@dbus.service.method(MOCK_IFACE, in_signature='', out_signature='a{su}')
def CallCounts(self):
    return dbus.Dictionary({k: dbus.UInt32(v) for k, v in self.camera_calls.items()},
                           signature='su')
