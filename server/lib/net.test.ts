import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { isPublicAddress, obviouslyPrivateHost } from './net.ts'

describe('isPublicAddress', () => {
  it('accepts public internet addresses', () => {
    for (const address of [
      '8.8.8.8',
      '1.1.1.1',
      '200.147.67.142',
      '172.15.255.255', // just below 172.16/12
      '172.32.0.1', // just above it
      '100.63.255.255', // just below 100.64/10
      '2001:4860:4860::8888',
      '2606:4700:4700::1111',
      '2800:3f0:4001:80b::200e',
      '::ffff:8.8.8.8', // IPv4-mapped public
      '64:ff9b::808:808', // NAT64 of 8.8.8.8
      '2002:808:808::1', // 6to4 of 8.8.8.8
    ]) {
      assert.equal(isPublicAddress(address), true, address)
    }
  })

  it('refuses private, loopback, link-local, unique-local, multicast, unspecified and reserved ones', () => {
    for (const address of [
      '0.0.0.0',
      '0.1.2.3',
      '10.0.0.1',
      '100.64.0.1',
      '100.127.255.255',
      '127.0.0.1',
      '127.255.255.254',
      '169.254.169.254',
      '172.16.0.1',
      '172.31.255.255',
      '192.0.0.8',
      '192.0.2.1',
      '192.168.1.1',
      '198.18.0.1',
      '198.51.100.1',
      '203.0.113.9',
      '224.0.0.251',
      '239.255.255.250',
      '240.0.0.1',
      '255.255.255.255',
      '::',
      '::1',
      '::ffff:127.0.0.1',
      '::ffff:a9fe:a9fe', // mapped 169.254.169.254
      '::127.0.0.1', // IPv4-compatible (deprecated)
      '64:ff9b::a00:1', // NAT64 of 10.0.0.1
      '64:ff9b:1::1', // local-use NAT64
      '2002:a00:1::1', // 6to4 of 10.0.0.1
      '2001::1', // Teredo
      '2001:db8::1',
      '3fff::1',
      'fc00::1',
      'fd00:ec2::254', // AWS metadata over IPv6
      'fe80::1',
      'fe80::1%eth0',
      'fec0::1',
      'ff02::1',
      '100::1',
      'not an address',
      '',
    ]) {
      assert.equal(isPublicAddress(address), false, address)
    }
  })
})

describe('obviouslyPrivateHost (save-time check, no DNS)', () => {
  it('names private IP literals and localhost, and lets names through', () => {
    assert.equal(obviouslyPrivateHost(new URL('http://169.254.169.254/latest')), '169.254.169.254')
    assert.equal(obviouslyPrivateHost(new URL('http://[::1]:8080/feed')), '::1')
    assert.equal(obviouslyPrivateHost(new URL('http://017700000001/feed')), '127.0.0.1') // octal spelling
    assert.equal(obviouslyPrivateHost(new URL('http://LOCALHOST./feed')), 'localhost')
    assert.equal(obviouslyPrivateHost(new URL('http://admin.localhost/feed')), 'admin.localhost')
    assert.equal(obviouslyPrivateHost(new URL('https://8.8.8.8/feed')), null)
    assert.equal(obviouslyPrivateHost(new URL('https://www.loja.com.br/feed.xml')), null)
  })
})
